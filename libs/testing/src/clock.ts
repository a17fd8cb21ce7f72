/** A clock the test moves by hand. */
export class FakeClock {
  private t: number;
  constructor(start: Date | string = '2026-11-22T12:00:00.000Z') {
    this.t = new Date(start).getTime();
  }
  /** The current fake time. */
  now(): Date {
    return new Date(this.t);
  }
  /** Moves the clock forward by `ms`. */
  advance(ms: number): void {
    this.t += ms;
  }
  /** Sets the clock. */
  set(d: Date | string): void {
    this.t = new Date(d).getTime();
  }
}
