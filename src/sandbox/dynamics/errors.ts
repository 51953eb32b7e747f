/**
 * Dataverse Web API errors: `{"error":{"code":"0x8004....","message":"..."}}` with the
 * platform's hexadecimal error codes and its wording.
 */
export class DataverseError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  body(): { error: { code: string; message: string } } {
    return { error: { code: this.code, message: this.message } };
  }
}

export const CODES = {
  notFound: '0x80040217',
  duplicateKey: '0x80040237',
  queryError: '0x80060888',
  segmentNotFound: '0x8006088a',
  payload: '0x80048d19',
  validation: '0x80044331',
  concurrency: '0x80060882',
  unexpected: '0x80040216',
  requestLimit: '0x80072322',
  batchReference: '0x8006088b',
} as const;

export const notFound = (entity: string, id: string) =>
  new DataverseError(404, CODES.notFound, `Entity '${entity}' With Id = ${id} Does Not Exist`);

export const keyNotFound = (entity: string) =>
  new DataverseError(404, CODES.notFound, `A record with the specified key values does not exist in ${entity} entity`);

export const duplicateKey = () => new DataverseError(412, CODES.duplicateKey, 'A record with matching key values already exists.');

export const unknownProperty = (entity: string, name: string) =>
  new DataverseError(400, CODES.queryError, `Could not find a property named '${name}' on type 'Microsoft.Dynamics.CRM.${entity}'.`);

export const methodNotAllowed = (method: string) =>
  new DataverseError(405, CODES.queryError, `The requested resource does not support http method '${method}'.`);

export const queryError = (message: string) => new DataverseError(400, CODES.queryError, message);

export const segmentNotFound = (segment: string) =>
  new DataverseError(404, CODES.segmentNotFound, `Resource not found for the segment '${segment}'.`);

/** Errors in a request body come wrapped the way Dataverse wraps OData reader exceptions. */
export const payloadError = (entitySetName: string, inner: string) =>
  new DataverseError(
    400,
    CODES.payload,
    `Error identified in Payload provided by the user for Entity :'${entitySetName}', For more information on this error please follow this help link https://go.microsoft.com/fwlink/?linkid=2195293  ----> InnerException : Microsoft.OData.ODataException: ${inner}`,
  );

export const validationError = (message: string) => new DataverseError(400, CODES.validation, `A validation error occurred.  ${message}`);

export const versionMismatch = () =>
  new DataverseError(412, CODES.concurrency, "The version of the existing record doesn't match the RowVersion property provided.");

/** The code Dataverse would put on a bare HTTP status (injected faults, unknown routes). */
export function codeForStatus(status: number): string {
  if (status === 404) return CODES.segmentNotFound;
  if (status === 429) return CODES.requestLimit;
  if (status === 400) return CODES.queryError;
  return CODES.unexpected;
}
