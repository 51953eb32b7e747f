import { fieldOf, relationshipOf, sobject, type FieldDef, type SObjectDef } from '../schema/index.js';
import { soqlError } from './lexer.js';
import type { FieldPath } from './parser.js';

/** A SOQL field path resolved against the schema: the lookups to follow, then the field. */
export interface BoundPath {
  /** Reference fields followed from the queried object, e.g. [Contact.AccountId] for Account.Name. */
  steps: FieldDef[];
  field: FieldDef;
}

const RELATIONSHIP_HINT =
  "If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.";
const FIELD_HINT =
  "If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.";

export function bindObject(soql: string, name: string, pos: number): SObjectDef {
  const object = sobject(name);
  if (!object) {
    throw soqlError(
      'INVALID_TYPE',
      soql,
      pos,
      `sObject type '${name}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
    );
  }
  return object;
}

/** Resolves `Account.Owner.Name` from Contact; a polymorphic lookup (Who, What) ends the path. */
export function bindPath(soql: string, root: SObjectDef, path: FieldPath): BoundPath {
  let candidates = [root];
  const steps: FieldDef[] = [];
  const parts = [...path.parts];
  // A path may start with the queried object's own name: SELECT Lead.Name FROM Lead.
  if (parts.length > 1 && parts[0]?.toLowerCase() === root.name.toLowerCase()) parts.shift();
  const last = parts.pop() as string;
  for (const part of parts) {
    const ref = candidates.length === 1 ? relationshipOf(candidates[0] as SObjectDef, part) : undefined;
    if (!ref) throw soqlError('INVALID_FIELD', soql, path.pos, `Didn't understand relationship '${part}' in field path. ${RELATIONSHIP_HINT}`);
    steps.push(ref);
    candidates = ref.referenceTo.map((n) => sobject(n) as SObjectDef);
  }
  const field = candidates.map((o) => fieldOf(o, last)).find((f) => f !== undefined);
  if (!field) {
    const entity = candidates.length === 1 ? (candidates[0] as SObjectDef).name : 'Name';
    throw soqlError('INVALID_FIELD', soql, path.pos, `No such column '${last}' on entity '${entity}'. ${FIELD_HINT}`);
  }
  return { steps, field };
}
