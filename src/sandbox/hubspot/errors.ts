import { randomUUID } from 'node:crypto';

/**
 * HubSpot's error envelope, `{status, message, correlationId, category, errors?, context?}`,
 * and the validation messages its CRM APIs really send (a JSON array inside `message`).
 */
export interface HubSpotErrorBody {
  status: 'error';
  message: string;
  correlationId: string;
  category: string;
  subCategory?: string;
  errors?: { message: string; code?: string; in?: string; context?: Record<string, string[]> }[];
  context?: Record<string, string[]>;
  [extra: string]: unknown;
}

const CATEGORY_BY_STATUS: Record<number, string> = {
  400: 'VALIDATION_ERROR',
  401: 'INVALID_AUTHENTICATION',
  403: 'MISSING_SCOPES',
  404: 'OBJECT_NOT_FOUND',
  405: 'VALIDATION_ERROR',
  409: 'CONFLICT',
  415: 'VALIDATION_ERROR',
  429: 'RATE_LIMITS',
};

export function errorBody(status: number, message: string, extra: Partial<HubSpotErrorBody> = {}): HubSpotErrorBody {
  return {
    status: 'error',
    message,
    correlationId: randomUUID(),
    category: CATEGORY_BY_STATUS[status] ?? 'INTERNAL_ERROR',
    ...extra,
  };
}

/** Thrown inside a route; the plugin's error handler turns it into the HTTP answer. */
export class HubSpotError extends Error {
  constructor(
    readonly statusCode: number,
    readonly body: HubSpotErrorBody,
  ) {
    super(body.message);
  }

  static of(status: number, message: string, extra: Partial<HubSpotErrorBody> = {}): HubSpotError {
    return new HubSpotError(status, errorBody(status, message, extra));
  }
}

/** One failed property, as HubSpot lists it inside "Property values were not valid: [...]". */
export interface PropertyProblem {
  name: string;
  error: 'PROPERTY_DOESNT_EXIST' | 'INVALID_EMAIL' | 'INVALID_OPTION' | 'READ_ONLY_VALUE' | 'REQUIRED_PROPERTY' | 'INVALID_DATE' | 'INVALID_INTEGER';
  message: string;
}

export function propertyValidationError(problems: PropertyProblem[], portalId: number): HubSpotError {
  const listed = problems.map((p) => ({
    isValid: false,
    message: p.message,
    error: p.error,
    name: p.name,
    localizedErrorMessage: p.message,
    portalId,
  }));
  return HubSpotError.of(400, `Property values were not valid: ${JSON.stringify(listed)}`, {
    errors: problems.map((p) => ({ message: p.message, code: p.error, context: { propertyName: [p.name] } })),
  });
}

export const notFound = () => HubSpotError.of(404, 'resource not found');

export function tooManyInputs(count: number, max: number): HubSpotError {
  return HubSpotError.of(400, `Too many inputs: ${count}. The maximum number of inputs per batch is ${max}.`);
}

/** A malformed request body: names the first bad field, the way HubSpot's deserializer does. */
export function invalidInput(path: string, problem: string): HubSpotError {
  return HubSpotError.of(400, `Invalid input JSON: ${problem}${path ? ` at ${path}` : ''}`, {
    errors: [{ message: problem, in: path || undefined }],
  });
}
