import { dmlError, type DmlError } from './errors.js';
import { STAGES } from './schema/deals.js';
import type { SObjectDef } from './schema/index.js';
import { formatDateTime, parseDateTime } from './values.js';
import type { Values } from './validate.js';

/**
 * What the platform does on save besides storing the values: defaults on create and
 * the fields it derives (full names, opportunity stage facts, task closure, event times).
 */
export function applyDefaults(object: SObjectDef, values: Values): void {
  for (const field of object.fields) {
    if (values[field.name] !== undefined) continue;
    if (field.defaultValue !== undefined) values[field.name] = field.defaultValue;
    else if (field.type === 'boolean') values[field.name] = false;
    else values[field.name] = null;
  }
}

/** Derives platform-computed fields from the merged record; may refuse the save (events). */
export function derive(object: SObjectDef, next: Values, changed: Values): DmlError[] {
  switch (object.name) {
    case 'Lead':
    case 'Contact':
    case 'User':
      next.Name = [next.FirstName, next.LastName].filter((v) => typeof v === 'string' && v !== '').join(' ');
      return [];
    case 'Opportunity':
      deriveStage(next, changed);
      return [];
    case 'Task':
      next.IsClosed = next.Status === 'Completed';
      next.IsHighPriority = next.Priority === 'High';
      if (next.IsClosed && !next.CompletedDateTime) next.CompletedDateTime = formatDateTime(Date.now());
      if (!next.IsClosed) next.CompletedDateTime = null;
      return [];
    case 'Event':
      return deriveEventTimes(next, changed);
    default:
      return [];
  }
}

function deriveStage(next: Values, changed: Values): void {
  const stage = STAGES.find((s) => s.name === next.StageName);
  if (!stage) return;
  if ('StageName' in changed && !('Probability' in changed)) next.Probability = stage.probability;
  if ('StageName' in changed && !('ForecastCategoryName' in changed)) next.ForecastCategoryName = stage.forecast;
  next.IsClosed = stage.closed;
  next.IsWon = stage.won;
}

/** Start plus duration or end time; the platform keeps all of them and ActivityDate consistent. */
function deriveEventTimes(next: Values, changed: Values): DmlError[] {
  if (next.IsAllDayEvent === true) {
    if (!next.ActivityDate && typeof next.StartDateTime === 'string') next.ActivityDate = next.StartDateTime.slice(0, 10);
    if (!next.ActivityDate) return [dmlError('REQUIRED_FIELD_MISSING', 'Required fields are missing: [ActivityDate]', ['ActivityDate'])];
    next.DurationInMinutes = 1440;
    return [];
  }
  if (typeof changed.ActivityDateTime === 'string' && !changed.StartDateTime) next.StartDateTime = changed.ActivityDateTime;
  const start = typeof next.StartDateTime === 'string' ? parseDateTime(next.StartDateTime) : undefined;
  if (start === undefined) return [dmlError('REQUIRED_FIELD_MISSING', 'Required fields are missing: [StartDateTime]', ['StartDateTime'])];
  let end = typeof next.EndDateTime === 'string' ? parseDateTime(next.EndDateTime) : undefined;
  if ('DurationInMinutes' in changed && typeof next.DurationInMinutes === 'number' && !('EndDateTime' in changed)) end = undefined;
  if (end === undefined) {
    if (typeof next.DurationInMinutes !== 'number') {
      return [dmlError('REQUIRED_FIELD_MISSING', 'Required fields are missing: [DurationInMinutes]', ['DurationInMinutes'])];
    }
    end = start + next.DurationInMinutes * 60_000;
  }
  if (end < start) return [dmlError('FIELD_INTEGRITY_EXCEPTION', "End Date Time: End time can't be before start time", ['EndDateTime'])];
  next.EndDateTime = formatDateTime(end);
  next.DurationInMinutes = Math.round((end - start) / 60_000);
  next.ActivityDateTime = formatDateTime(start);
  next.ActivityDate = formatDateTime(start).slice(0, 10);
  return [];
}
