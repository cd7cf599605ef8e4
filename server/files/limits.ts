/**
 * Upload limits in one place. The client shrinks photos before upload (DESIGN.md "Files"), so these
 * bound hostile or unusual input rather than everyday photos.
 */

/** Largest accepted file (the `file` part of the multipart body). */
export const MAX_UPLOAD_BYTES = 15 * 1024 * 1024;

/** Room for the multipart framing (boundaries, part headers) around the file. */
export const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

/** What `bodyLimit` counts on the wire before anything is parsed. */
export const MAX_UPLOAD_BODY_BYTES = MAX_UPLOAD_BYTES + MULTIPART_OVERHEAD_BYTES;

/**
 * Decoded pixels an image may declare in its header. 50 MP still takes a 48 MP phone photo
 * (8064 × 6048); one such image needs about 150 MB of RGB pixels while being processed.
 */
export const MAX_INPUT_PIXELS = 50_000_000;

/** Long edge of the stored image; larger images are scaled down. */
export const MAX_IMAGE_EDGE = 4096;

/** Long edge of the WebP thumbnail stored beside each image. */
export const THUMBNAIL_EDGE = 320;

/** A complete PDF ends with `%%EOF`, allowing for trailing whitespace or a short trailer (PDF 1.7 §7.5.5). */
export const PDF_TRAILER_WINDOW_BYTES = 1024;

/** Images decoded at the same time in this process: each may hold ~150 MB of pixels (see above). */
export const MAX_CONCURRENT_IMAGE_JOBS = 2;

/** Served files are immutable per id; `private` keeps them out of shared caches. */
export const SERVED_FILE_MAX_AGE_SECONDS = 24 * 60 * 60;
