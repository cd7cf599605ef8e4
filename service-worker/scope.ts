/// <reference lib="webworker" />
/**
 * The worker's global, typed. The project compiles DOM and WebWorker libs together (one tsconfig), where
 * `self` means the window; every service-worker module goes through this instead.
 */
export const sw = self as unknown as ServiceWorkerGlobalScope;
