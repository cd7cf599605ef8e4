/** What services may know about the request without seeing HTTP: for throttling and the audit trail. */
export interface RequestMeta {
  ip: string;
  userAgent: string | null;
}
