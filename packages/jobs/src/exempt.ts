/**
 * Opens one of the proxy's own connections (a callback to SpiffArena, Redis) past the egress
 * policy, which is for connectors: the server's `EgressGuard.exempt`. A socket that `open`
 * connects synchronously is not checked.
 */
export type Exempt = <T>(open: () => T) => T;

/** Without an egress policy there is nothing to exempt from. */
export const NOT_GUARDED: Exempt = (open) => open();
