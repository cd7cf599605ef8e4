/**
 * Landlord incidents as tenants see them (seed 004 "related ticket": e.g. water off on Tuesday 8–12):
 * `GET /api/incidents`, `GET /api/incidents/matching?contractId=&component=`, `POST /api/incidents/:id/follow`.
 * Types only (no zod): the tenant app imports them without pulling a schema library into its chunks.
 * server/services/incidents/tenant.ts builds this shape; it may import the type from here.
 */
export interface IncidentDto {
  id: string;
  title: string;
  body: string;
  kind: 'planned' | 'emergency';
  status: 'open' | 'resolved';
  scope: 'estate' | 'building';
  /** The ticket-type `component` option it concerns (shared/ticket-types.ts), or null for all. */
  component: string | null;
  startsAt: string | null;
  endsAt: string | null;
  createdAt: string;
  resolvedAt: string | null;
  updates: { id: string; body: string; createdAt: string }[];
  /** The user follows it (gets its updates) instead of filing a duplicate damage report. */
  following: boolean;
}

export interface IncidentListResponse {
  incidents: IncidentDto[];
}

export interface IncidentResponse {
  incident: IncidentDto;
}
