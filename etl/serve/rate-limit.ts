// Failed sign-ins, limited per client address and per user name (pure, with
// an injected clock). A key with `max` failures inside the last `windowMs` is
// blocked until the oldest of them leaves the window; the wait is what the
// server sends as Retry-After. Checked before the password is verified, so a
// blocked guesser learns nothing, not even a right guess.
//
// Per user: 5 failures in 15 minutes — online guessing of one account is
// hopeless, at the price that anybody can keep one account locked out by
// failing on purpose (the admin can still sign in as another user, or from
// the console set a new password; the limit is per process, a restart clears it).
// Per address: 30 in 15 minutes — offices sign in from behind one NAT address.

export interface Limit {
  max: number;
  windowMs: number;
}

export const LOGIN_LIMITS: Readonly<{ perAddress: Limit; perUser: Limit }> = {
  perAddress: { max: 30, windowMs: 15 * 60_000 },
  perUser: { max: 5, windowMs: 15 * 60_000 },
};

/** Failure times per key, within one window; at most `maxKeys` keys (the stalest are dropped first). */
export class FailureWindow {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly limit: Limit,
    private readonly now: () => number = Date.now,
    private readonly maxKeys = 10_000,
  ) {}

  private recent(key: string): number[] {
    const list = this.failures.get(key);
    if (!list) return [];
    const since = this.now() - this.limit.windowMs;
    while (list.length > 0 && list[0]! <= since) list.shift();
    if (list.length === 0) this.failures.delete(key);
    return list;
  }

  /** Seconds until `key` may try again; 0 when it may now. */
  retryAfter(key: string): number {
    const list = this.recent(key);
    if (list.length < this.limit.max) return 0;
    const freeAt = list[list.length - this.limit.max]! + this.limit.windowMs;
    return Math.max(1, Math.ceil((freeAt - this.now()) / 1000));
  }

  fail(key: string): void {
    const list = this.recent(key);
    list.push(this.now());
    // Re-insert: Map order is then least recently failed first, which is what gets dropped.
    this.failures.delete(key);
    this.failures.set(key, list);
    while (this.failures.size > this.maxKeys) this.failures.delete(this.failures.keys().next().value as string);
  }

  clear(key: string): void {
    this.failures.delete(key);
  }
}

export class LoginRateLimiter {
  private readonly byAddress: FailureWindow;
  private readonly byUser: FailureWindow;

  constructor(limits: { perAddress: Limit; perUser: Limit } = LOGIN_LIMITS, now: () => number = Date.now) {
    this.byAddress = new FailureWindow(limits.perAddress, now);
    this.byUser = new FailureWindow(limits.perUser, now);
  }

  /** Seconds to wait before this address may try this user name again (0: go ahead). */
  retryAfter(address: string, user: string): number {
    return Math.max(this.byAddress.retryAfter(address), this.byUser.retryAfter(userKey(user)));
  }

  failed(address: string, user: string): void {
    this.byAddress.fail(address);
    this.byUser.fail(userKey(user));
  }

  /** A successful sign-in forgets the user's failures (the address's stay: they may be another user's guesses). */
  succeeded(user: string): void {
    this.byUser.clear(userKey(user));
  }
}

/** Names are compared ignoring case (users-file.ts); long junk names share one key. */
function userKey(user: string): string {
  return user.trim().toLowerCase().slice(0, 64);
}
