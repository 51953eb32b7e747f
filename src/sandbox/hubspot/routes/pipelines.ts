import type { FastifyInstance } from 'fastify';
import { HubSpotError } from '../errors.js';

const SEEDED_AT = '2024-01-15T09:00:00.000Z';

/** The default deal pipeline of a new portal: its stages in order, with HubSpot's probability and closed flags (strings, as HubSpot sends them). */
const DEFAULT_DEAL_STAGES: [id: string, label: string, probability: string, closed: boolean][] = [
  ['appointmentscheduled', 'Appointment Scheduled', '0.2', false],
  ['qualifiedtobuy', 'Qualified To Buy', '0.4', false],
  ['presentationscheduled', 'Presentation Scheduled', '0.6', false],
  ['decisionmakerboughtin', 'Decision Maker Bought-In', '0.8', false],
  ['contractsent', 'Contract Sent', '0.9', false],
  ['closedwon', 'Closed Won', '1.0', true],
  ['closedlost', 'Closed Lost', '0.0', true],
];

const pipeline = () => ({
  id: 'default',
  label: 'Sales Pipeline',
  displayOrder: 0,
  archived: false,
  createdAt: SEEDED_AT,
  updatedAt: SEEDED_AT,
  stages: DEFAULT_DEAL_STAGES.map(([id, label, probability, closed], displayOrder) => ({
    id,
    label,
    displayOrder,
    metadata: { isClosed: String(closed), probability },
    archived: false,
    writePermissions: 'CRM_PERMISSIONS_ENFORCEMENT',
    createdAt: SEEDED_AT,
    updatedAt: SEEDED_AT,
  })),
});

/** `/crm/v3/pipelines/{objectType}`: the deals object has the default pipeline (tickets are not modelled). */
export function registerPipelineRoutes(app: FastifyInstance): void {
  const dealsOnly = (objectType: string) => {
    if (objectType !== 'deals' && objectType !== '0-3') throw HubSpotError.of(400, `Unable to find pipelines for object type ${objectType}`);
  };
  app.get('/crm/v3/pipelines/:objectType', async (req) => {
    dealsOnly((req.params as { objectType: string }).objectType);
    return { results: [pipeline()] };
  });
  app.get('/crm/v3/pipelines/:objectType/:pipelineId', async (req) => {
    const p = req.params as { objectType: string; pipelineId: string };
    dealsOnly(p.objectType);
    if (p.pipelineId !== 'default') throw HubSpotError.of(404, `Unable to find pipeline ${p.pipelineId}`, { category: 'OBJECT_NOT_FOUND' });
    return pipeline();
  });
}
