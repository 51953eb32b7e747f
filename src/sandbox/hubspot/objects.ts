/**
 * The CRM object types the fake serves, as HubSpot names them: path name, object
 * type id (0-1...), the singular used in association type names, and which
 * properties a read returns when the caller asks for none.
 */
export const OBJECT_TYPES = ['contacts', 'companies', 'deals', 'notes', 'tasks', 'calls', 'meetings'] as const;
export type ObjectType = (typeof OBJECT_TYPES)[number];

interface ObjectFacts {
  typeId: string;
  singular: string;
  /** Upper-case name in HubSpot's messages ("Could not get some CONTACT objects"). */
  label: string;
  defaultProperties: string[];
  /** Name of the "last modified" property (contacts differ from every other object). */
  modifiedProperty: 'lastmodifieddate' | 'hs_lastmodifieddate';
  createdProperty: 'createdate' | 'hs_createdate';
  /** Properties a create must carry (activities need a timestamp). */
  required: string[];
}

const ACTIVITY_DEFAULTS = ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'];

export const OBJECTS: Record<ObjectType, ObjectFacts> = {
  contacts: {
    typeId: '0-1',
    singular: 'contact',
    label: 'CONTACT',
    defaultProperties: ['createdate', 'email', 'firstname', 'hs_object_id', 'lastmodifieddate', 'lastname'],
    modifiedProperty: 'lastmodifieddate',
    createdProperty: 'createdate',
    required: [],
  },
  companies: {
    typeId: '0-2',
    singular: 'company',
    label: 'COMPANY',
    defaultProperties: ['createdate', 'domain', 'hs_lastmodifieddate', 'hs_object_id', 'name'],
    modifiedProperty: 'hs_lastmodifieddate',
    createdProperty: 'createdate',
    required: [],
  },
  deals: {
    typeId: '0-3',
    singular: 'deal',
    label: 'DEAL',
    defaultProperties: ['amount', 'closedate', 'createdate', 'dealname', 'dealstage', 'hs_lastmodifieddate', 'hs_object_id', 'pipeline'],
    modifiedProperty: 'hs_lastmodifieddate',
    createdProperty: 'createdate',
    required: [],
  },
  notes: { typeId: '0-46', singular: 'note', label: 'NOTE', defaultProperties: ACTIVITY_DEFAULTS, modifiedProperty: 'hs_lastmodifieddate', createdProperty: 'hs_createdate', required: ['hs_timestamp'] },
  tasks: { typeId: '0-27', singular: 'task', label: 'TASK', defaultProperties: ACTIVITY_DEFAULTS, modifiedProperty: 'hs_lastmodifieddate', createdProperty: 'hs_createdate', required: ['hs_timestamp'] },
  calls: { typeId: '0-48', singular: 'call', label: 'CALL', defaultProperties: ACTIVITY_DEFAULTS, modifiedProperty: 'hs_lastmodifieddate', createdProperty: 'hs_createdate', required: ['hs_timestamp'] },
  meetings: { typeId: '0-47', singular: 'meeting', label: 'MEETING', defaultProperties: ACTIVITY_DEFAULTS, modifiedProperty: 'hs_lastmodifieddate', createdProperty: 'hs_createdate', required: ['hs_timestamp'] },
};

/** HubSpot accepts a plural name, a singular name or an object type id in paths. */
export function resolveObjectType(name: string): ObjectType | undefined {
  const lower = name.toLowerCase();
  for (const type of OBJECT_TYPES) {
    const facts = OBJECTS[type];
    if (lower === type || lower === facts.singular || lower === facts.typeId) return type;
  }
  return undefined;
}
