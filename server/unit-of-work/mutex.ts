/**
 * A first-come, first-served async mutex: `acquire()` resolves with the function that releases it.
 * Units of work take it so that only one of them has a transaction open at a time.
 */
export class Mutex {
  #tail: Promise<void> = Promise.resolve();

  acquire(): Promise<() => void> {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const acquired = this.#tail.then(() => release);
    this.#tail = this.#tail.then(() => released);
    return acquired;
  }
}
