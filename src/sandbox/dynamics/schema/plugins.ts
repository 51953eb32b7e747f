import { choice, entity, lookup, memo, options, text, whole, yesNo } from './build.js';

/**
 * The plug-in registration tables Dataverse uses for webhooks: a service endpoint
 * (contract 8 = Webhook) is the handler; a processing step ties it to a message
 * (Create, Update, Delete) and a table through a message filter.
 */
export const SERVICEENDPOINT = entity({
  logicalName: 'serviceendpoint',
  schemaName: 'ServiceEndpoint',
  entitySetName: 'serviceendpoints',
  displayName: 'Service Endpoint',
  displayCollectionName: 'Service Endpoints',
  objectTypeCode: 4618,
  primaryName: 'name',
  userOwned: false,
  attributes: [
    text('name', 'Name', 'Name', 256, { requiredLevel: 'SystemRequired' }),
    memo('description', 'Description', 'Description'),
    choice('contract', 'Contract', 'Contract', options(
      [1, 'OneWay'], [2, 'Queue'], [3, 'Twoway'], [4, 'Topic'], [5, 'Persistent Queue'], [7, 'EventHub'], [8, 'Webhook'], [9, 'EventGrid'],
    ), { requiredLevel: 'SystemRequired' }),
    text('url', 'Url', 'Url Address', 2000),
    choice('authtype', 'AuthType', 'Auth Type', options(
      [1, 'ACS'], [2, 'SASKey'], [3, 'SASToken'], [4, 'WebhookKey'], [5, 'HttpHeader'], [6, 'HttpQueryString'], [7, 'ConnectionString'],
    ), { requiredLevel: 'SystemRequired' }),
    memo('authvalue', 'AuthValue', 'Auth Value', 4000, { hiddenOnRead: true }),
    choice('messageformat', 'MessageFormat', 'Message Format', options([1, 'BinaryXML'], [2, 'Json'], [3, 'TextXML'])),
    choice('userclaim', 'UserClaim', 'User Information Sent to Service Bus', options([1, 'None'], [2, 'UserId'], [3, 'UserInfo'])),
    text('namespaceaddress', 'NamespaceAddress', 'Namespace Address', 255),
  ],
});

export const SDKMESSAGE = entity({
  logicalName: 'sdkmessage',
  schemaName: 'SdkMessage',
  entitySetName: 'sdkmessages',
  displayName: 'Sdk Message',
  displayCollectionName: 'Sdk Messages',
  objectTypeCode: 4606,
  primaryName: 'name',
  userOwned: false,
  attributes: [text('name', 'Name', 'Name', 256)],
});

export const SDKMESSAGEFILTER = entity({
  logicalName: 'sdkmessagefilter',
  schemaName: 'SdkMessageFilter',
  entitySetName: 'sdkmessagefilters',
  displayName: 'Sdk Message Filter',
  displayCollectionName: 'Sdk Message Filters',
  objectTypeCode: 4607,
  primaryName: 'name',
  userOwned: false,
  attributes: [
    text('name', 'Name', 'Name', 256),
    { ...text('primaryobjecttypecode', 'PrimaryObjectTypeCode', 'Primary Object Type Code', 64), type: 'EntityName' },
    { ...text('secondaryobjecttypecode', 'SecondaryObjectTypeCode', 'Secondary Object Type Code', 64), type: 'EntityName' },
    lookup('sdkmessageid', 'SdkMessageId', 'SDK Message ID', { sdkmessageid: 'sdkmessage' }),
  ],
});

export const SDKMESSAGEPROCESSINGSTEP = entity({
  logicalName: 'sdkmessageprocessingstep',
  schemaName: 'SdkMessageProcessingStep',
  entitySetName: 'sdkmessageprocessingsteps',
  displayName: 'Sdk Message Processing Step',
  displayCollectionName: 'Sdk Message Processing Steps',
  objectTypeCode: 4608,
  primaryName: 'name',
  userOwned: false,
  states: options([0, 'Enabled'], [1, 'Disabled']),
  statuses: [
    { value: 1, label: 'Enabled', state: 0 },
    { value: 2, label: 'Disabled', state: 1 },
  ],
  attributes: [
    text('name', 'Name', 'Name', 256),
    memo('description', 'Description', 'Description', 256),
    choice('stage', 'Stage', 'Execution Stage', options([10, 'Pre-validation'], [20, 'Pre-operation'], [40, 'Post-operation']), { requiredLevel: 'SystemRequired' }),
    choice('mode', 'Mode', 'Execution Mode', options([0, 'Synchronous'], [1, 'Asynchronous']), { requiredLevel: 'SystemRequired' }),
    whole('rank', 'Rank', 'Execution Order', { requiredLevel: 'SystemRequired' }),
    choice('supporteddeployment', 'SupportedDeployment', 'Deployment', options([0, 'Server Only'], [1, 'Microsoft Dynamics 365 Client for Outlook Only'], [2, 'Both'])),
    yesNo('asyncautodelete', 'AsyncAutoDelete', 'Asynchronous Automatic Delete'),
    text('filteringattributes', 'FilteringAttributes', 'Filtering Attributes', 100000),
    lookup('eventhandler', 'EventHandler', 'Event Handler', { eventhandler_serviceendpoint: 'serviceendpoint' }),
    lookup('sdkmessageid', 'SdkMessageId', 'SDK Message', { sdkmessageid: 'sdkmessage' }, { requiredLevel: 'SystemRequired' }),
    lookup('sdkmessagefilterid', 'SdkMessageFilterId', 'SdkMessage Filter', { sdkmessagefilterid: 'sdkmessagefilter' }),
  ],
});
