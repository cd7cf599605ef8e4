const storageKey = 'portier.staff.shortcuts';

/**
 * Single-key shortcuts (issue 5: next/previous, assign to me, reply, status) can be switched
 * off, as WCAG 2.2 SC 2.1.4 "Character Key Shortcuts" requires; the choice stays on this device.
 */
class Shortcuts {
  enabled = $state(localStorage.getItem(storageKey) !== 'off');
  helpOpen = $state(false);

  setEnabled(on: boolean): void {
    this.enabled = on;
    localStorage.setItem(storageKey, on ? 'on' : 'off');
  }
}

export const shortcuts = new Shortcuts();
