/**
 * The egress policy: which addresses and host names a connector may connect to. Decided on the
 * address a connection is actually made to (after DNS), so every numeric spelling and a DNS answer
 * that changes between two lookups (rebinding) meet the same rule.
 */
import ipaddr from 'ipaddr.js';

/** `open`: anything; `default`: anything but cloud metadata and link-local; `public`: public addresses only. */
export type EgressPreset = 'open' | 'default' | 'public';

/** Cloud metadata endpoints: AWS/GCP/Azure/OpenStack, AWS ECS task metadata, AWS IPv6, Alibaba. */
export const METADATA_ADDRESSES = ['169.254.169.254', '169.254.170.2', 'fd00:ec2::254', '100.100.100.200'] as const;

/** Ranges each preset denies, as CIDRs with the reason shown in messages (the README lists them). */
export const PRESET_RANGES: Readonly<Record<EgressPreset, readonly (readonly [string, string])[]>> = {
  open: [],
  default: [
    ...METADATA_ADDRESSES.map((a) => [a.includes(':') ? `${a}/128` : `${a}/32`, 'cloud metadata'] as const),
    ['169.254.0.0/16', 'link-local'],
    ['fe80::/10', 'link-local'],
  ],
  public: [
    ...METADATA_ADDRESSES.map((a) => [a.includes(':') ? `${a}/128` : `${a}/32`, 'cloud metadata'] as const),
    ['0.0.0.0/8', 'unspecified ("this network")'],
    ['10.0.0.0/8', 'private'],
    ['100.64.0.0/10', 'carrier-grade NAT'],
    ['127.0.0.0/8', 'loopback'],
    ['169.254.0.0/16', 'link-local'],
    ['172.16.0.0/12', 'private'],
    ['192.0.0.0/24', 'IETF protocol assignments'],
    ['192.0.2.0/24', 'documentation'],
    ['192.88.99.0/24', '6to4 relay anycast'],
    ['192.168.0.0/16', 'private'],
    ['198.18.0.0/15', 'benchmarking'],
    ['198.51.100.0/24', 'documentation'],
    ['203.0.113.0/24', 'documentation'],
    ['224.0.0.0/4', 'multicast'],
    ['240.0.0.0/4', 'reserved'],
    ['255.255.255.255/32', 'broadcast'],
    ['::/128', 'unspecified'],
    ['::1/128', 'loopback'],
    ['100::/64', 'discard-only'],
    ['2001:db8::/32', 'documentation'],
    ['fc00::/7', 'unique-local'],
    ['fe80::/10', 'link-local'],
    ['ff00::/8', 'multicast'],
  ],
};

const EXPLICIT_ONLY = new Set(['cloud metadata', 'link-local']);

/** One rule of an allow or deny list: a CIDR (or single address) or a host name, `*.` for any subdomain. */
type Rule = { kind: 'cidr'; text: string; range: [ipaddr.IPv4 | ipaddr.IPv6, number] } | { kind: 'host'; text: string };

/** The outcome for one connection. */
export type EgressDecision = { allowed: true } | { allowed: false; rule: string };

/** A checked policy. */
export interface EgressPolicy {
  readonly preset: EgressPreset;
  /** The decision for connecting to `address` for the host name `host` (the address itself when given as one). */
  check(host: string, address: string): EgressDecision;
}

/** Options of {@link createEgressPolicy}: the values of CONNECTOR_PROXY_EGRESS, _ALLOW and _DENY. */
export interface EgressOptions {
  preset?: EgressPreset;
  allow?: readonly string[];
  deny?: readonly string[];
}

/** Builds a policy; throws one line naming the list entry that is neither a CIDR nor a host name. */
export function createEgressPolicy(options: EgressOptions = {}): EgressPolicy {
  const preset = options.preset ?? 'default';
  const allow = (options.allow ?? []).map((text) => toRule(text, 'CONNECTOR_PROXY_EGRESS_ALLOW'));
  const deny = (options.deny ?? []).map((text) => toRule(text, 'CONNECTOR_PROXY_EGRESS_DENY'));
  const ranges = PRESET_RANGES[preset].map(([cidr, why]) => ({ range: ipaddr.parseCIDR(cidr), cidr, why }));
  return {
    preset,
    check(host, address) {
      const ip = toAddress(address);
      if (!ip) return { allowed: false, rule: `${address} is not an IP address` };
      const name = host.toLowerCase().replace(/\.$/, '');
      const denied = deny.find((rule) => matches(rule, name, ip));
      if (denied) return { allowed: false, rule: `CONNECTOR_PROXY_EGRESS_DENY ${denied.text}` };
      const hit = ranges.find(({ range }) => ip.kind() === range[0].kind() && ip.match(range));
      // Metadata and link-local only by naming the address or range itself: a host name in the allow
      // list could be made to resolve to them.
      const explicitOnly = hit !== undefined && EXPLICIT_ONLY.has(hit.why);
      if (allow.some((rule) => (explicitOnly ? rule.kind === 'cidr' : true) && matches(rule, name, ip))) {
        return { allowed: true };
      }
      if (hit) {
        return {
          allowed: false,
          rule: `${hit.cidr} (${hit.why}), denied by CONNECTOR_PROXY_EGRESS=${preset}; allow it with CONNECTOR_PROXY_EGRESS_ALLOW`,
        };
      }
      return { allowed: true };
    },
  };
}

/** The address to judge: an IPv4-mapped (or NAT64/6to4-embedded) IPv6 address as the IPv4 one inside it. */
function toAddress(text: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  const bare = text.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (!ipaddr.isValid(bare)) return undefined;
  const ip = ipaddr.parse(bare);
  if (ip.kind() !== 'ipv6') return ip;
  const v6 = ip as ipaddr.IPv6;
  if (v6.isIPv4MappedAddress()) return v6.toIPv4Address();
  const range = v6.range();
  const parts = v6.toByteArray();
  // NAT64 (64:ff9b::/96) carries the IPv4 address in its last 32 bits, 6to4 (2002::/16) in bits 16..48.
  if (range === 'rfc6052') return ipaddr.fromByteArray(parts.slice(12)) as ipaddr.IPv4;
  if (range === '6to4') return ipaddr.fromByteArray(parts.slice(2, 6)) as ipaddr.IPv4;
  return v6;
}

function matches(rule: Rule, host: string, ip: ipaddr.IPv4 | ipaddr.IPv6): boolean {
  if (rule.kind === 'cidr') return ip.kind() === rule.range[0].kind() && ip.match(rule.range);
  if (rule.text.startsWith('*.')) return host.endsWith(rule.text.slice(1)) && host.length > rule.text.length - 1;
  return host === rule.text;
}

const HOST_NAME = /^(\*\.)?([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?\.)*[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?$/;

function toRule(entry: string, variable: string): Rule {
  const text = entry.trim().toLowerCase();
  const bare = text.replace(/^\[|\]$/g, '');
  if (bare.includes('/')) {
    try {
      return { kind: 'cidr', text, range: ipaddr.parseCIDR(bare) };
    } catch {
      throw new Error(`${variable}: ${JSON.stringify(entry)} is not a CIDR range such as 10.0.0.0/8`);
    }
  }
  if (ipaddr.isValid(bare)) {
    const ip = ipaddr.parse(bare);
    return { kind: 'cidr', text, range: [ip, ip.kind() === 'ipv4' ? 32 : 128] };
  }
  if (HOST_NAME.test(text)) return { kind: 'host', text };
  throw new Error(
    `${variable}: ${JSON.stringify(entry)} is neither a CIDR, an address nor a host name (*.example.com)`,
  );
}
