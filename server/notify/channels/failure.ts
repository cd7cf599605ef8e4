/** A failure retrying cannot fix (no address, no number): the row goes straight to `dead`. */
export class PermanentFailure extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'PermanentFailure';
  }
}
