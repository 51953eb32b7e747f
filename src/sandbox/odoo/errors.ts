/**
 * Odoo's exceptions as the sandbox raises them. JSON-2 serializes one as
 * `{name, message, arguments, context, debug}` with the exception's HTTP status;
 * /jsonrpc wraps the same object in a JSON-RPC error (code 200, "Odoo Server Error").
 */
export class OdooException extends Error {
  constructor(
    readonly pythonName: string,
    message: string,
    readonly status: number,
    readonly args: unknown[] = [message],
  ) {
    super(message);
  }

  serialize(context: Record<string, unknown> = {}) {
    return {
      name: this.pythonName,
      message: this.message,
      arguments: this.args,
      context,
      debug: `Traceback (most recent call last):\n  File "/opt/odoo/odoo/http.py", line 2212, in _transactioning\n    return service_model.retrying(func, env=self.env)\n${this.pythonName}: ${this.message}\n`,
    };
  }
}

export const validationError = (message: string) => new OdooException('odoo.exceptions.ValidationError', message, 422);
export const userError = (message: string) => new OdooException('odoo.exceptions.UserError', message, 422);
export const accessDenied = () => new OdooException('odoo.exceptions.AccessDenied', 'Access Denied', 403);
export const valueError = (message: string) => new OdooException('builtins.ValueError', message, 500);
export const notFound = (message: string) => new OdooException('werkzeug.exceptions.NotFound', message, 404, [message, 404]);
export const unauthorized = () => new OdooException('werkzeug.exceptions.Unauthorized', 'Invalid apikey', 401, ['Invalid apikey', 401]);
export const badRequest = (message: string) => new OdooException('werkzeug.exceptions.BadRequest', message, 400, [message, 400]);
export const unprocessable = (message: string) => new OdooException('werkzeug.exceptions.UnprocessableEntity', message, 422, [message, 422]);

export function missingError(model: string, ids: number[], uid: number): OdooException {
  return new OdooException(
    'odoo.exceptions.MissingError',
    `Record does not exist or has been deleted.\n(Record: ${model}(${ids.join(', ')},), User: ${uid})`,
    404,
  );
}

/** The NOT NULL violation message Odoo shows when a required field is left empty. */
export function mandatoryMissing(modelDescription: string, model: string, fieldLabel: string, field: string): OdooException {
  return validationError(
    `The operation cannot be completed:\n- Create/update: a mandatory field is not set.\n- Delete: another model requires the record being deleted. If possible, archive it instead.\n\nModel: ${modelDescription} (${model})\nField: ${fieldLabel} (${field})`,
  );
}

export function asOdooException(e: unknown): OdooException {
  if (e instanceof OdooException) return e;
  return new OdooException('builtins.Exception', e instanceof Error ? e.message : String(e), 500);
}
