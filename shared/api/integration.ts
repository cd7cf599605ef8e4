import { z } from 'zod';

/** API keys for the landlord's ERP (API.md "Integration"): admins create, list and revoke them. */
export const apiKeyScopes = ['import', 'webhooks', 'read'] as const;
export type ApiKeyScope = (typeof apiKeyScopes)[number];

export const createApiKeyRequest = z.strictObject({
  name: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .regex(/^[^\p{Cc}]+$/u, 'control_characters'),
  scopes: z
    .array(z.enum(apiKeyScopes))
    .min(1)
    .max(apiKeyScopes.length)
    .refine((scopes) => new Set(scopes).size === scopes.length, 'duplicate_scope'),
});
export type CreateApiKeyRequest = z.infer<typeof createApiKeyRequest>;

export interface ApiKeyDto {
  id: string;
  name: string;
  scopes: ApiKeyScope[];
  createdAt: string;
  lastUsedAt: string | null;
}

/** The secret appears in this answer only; the portal keeps its hash. */
export interface CreatedApiKeyDto {
  apiKey: ApiKeyDto;
  secret: string;
}

export interface ApiKeysDto {
  apiKeys: ApiKeyDto[];
}
