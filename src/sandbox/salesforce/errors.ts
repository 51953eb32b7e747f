/**
 * Salesforce's two error shapes: a request-level array `[{message, errorCode, fields?}]`
 * with an HTTP status, and the per-record `{statusCode, message, fields}` of SaveResults.
 */
export interface RestError {
  message: string;
  errorCode: string;
  fields?: string[];
}

/** One record's failure inside a DML operation (SaveResult / UpsertResult / DeleteResult). */
export interface DmlError {
  statusCode: string;
  message: string;
  fields: string[];
}

/** Thrown anywhere in a request to answer with Salesforce's error array. */
export class SalesforceError extends Error {
  constructor(
    readonly status: number,
    readonly errors: RestError[],
  ) {
    super(errors[0]?.message ?? 'error');
  }
}

export const restError = (status: number, errorCode: string, message: string, fields?: string[]) =>
  new SalesforceError(status, [{ message, errorCode, ...(fields ? { fields } : {}) }]);

export const dmlError = (statusCode: string, message: string, fields: string[] = []): DmlError => ({ statusCode, message, fields });

/** A single-record operation's DML failure, as the REST API reports it: 400 with the error array. */
export const fromDml = (errors: DmlError[]) =>
  new SalesforceError(400, errors.map((e) => ({ message: e.message, errorCode: e.statusCode, fields: e.fields })));

export const notFound = () => restError(404, 'NOT_FOUND', 'The requested resource does not exist');

export const invalidSession = () => restError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');

export const jsonParserError = (message: string) => restError(400, 'JSON_PARSER_ERROR', message);

export const unknownColumn = (object: string, field: string) =>
  restError(400, 'INVALID_FIELD', `No such column '${field}' on sobject of type ${object}`);

/** The SOQL-style unknown column message, used by `?fields=` and SOQL. */
export const noSuchColumn = (object: string, field: string) =>
  restError(
    400,
    'INVALID_FIELD',
    `No such column '${field}' on entity '${object}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
  );

export const methodNotAllowed = (method: string, allowed: string[]) =>
  restError(405, 'METHOD_NOT_ALLOWED', `HTTP Method '${method}' not allowed. Allowed are ${allowed.join(',')}`);

/** Parses a JSON body the way the REST API (Jackson underneath) reports bad JSON. */
export function parseJsonBody(raw: string | undefined): unknown {
  if (raw === undefined || raw.trim() === '') return undefined;
  try {
    return JSON.parse(raw);
  } catch (err) {
    const text = err instanceof Error ? err.message : '';
    // Node names either the position or the unexpected token; Salesforce names line and column.
    const position = /position (\d+)/.exec(text);
    const token = /Unexpected token '(.)'/.exec(text);
    const at = position ? Number(position[1]) : token?.[1] ? raw.indexOf(token[1]) : raw.length;
    const before = raw.slice(0, at).split('\n');
    const where = `[line:${before.length}, column:${(before.at(-1)?.length ?? 0) + 1}]`;
    const char = raw[at];
    throw jsonParserError(
      char === undefined
        ? `Unexpected end-of-input: expected close marker for Object at ${where}`
        : `Unexpected character ('${char}' (code ${char.charCodeAt(0)})): expected a valid value (number, String, array, object, 'true', 'false' or 'null') at ${where}`,
    );
  }
}
