// Test helpers: tokens minted like tokentool (HS256), the gateway's URLs from the environment.
import { createHmac } from "node:crypto";
import { once } from "node:events";

export const ACCESS = process.env.RELAY_TEST_ACCESS ?? ""; // http://127.0.0.1:<port> of a real gateway
const SECRET = process.env.RELAY_TEST_SECRET ?? "";
const AUDIENCE = process.env.RELAY_TEST_AUDIENCE ?? "";
export const HAVE_GATEWAY = Boolean(ACCESS && SECRET && AUDIENCE);

const b64 = (value) => Buffer.from(typeof value === "string" ? value : JSON.stringify(value)).toString("base64url");

/** A practable session token for `topic` (claims as tokentool's). */
export function mint(topic, { scopes = ["read", "write"], bookingId = "js-b1", lifetime = 300 } = {}) {
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    topic,
    prefix: "session",
    scopes,
    aud: [AUDIENCE],
    booking_id: bookingId,
    iat: now - 1,
    nbf: now - 1,
    exp: now + lifetime,
  };
  const body = `${b64({ alg: "HS256", typ: "JWT" })}.${b64(claims)}`;
  return `${body}.${createHmac("sha256", SECRET).update(body).digest("base64url")}`;
}

export const sessionUrl = (topic) => `${ACCESS}/session/${encodeURIComponent(topic)}`;

let counter = 0;
/** A fresh topic per test, so tests never see each other's messages. */
export const topic = (name) => `js-${name}-${process.pid}-${++counter}`;

/** The next `type` event of `target` (rejects after `ms`). */
export async function next(target, type, ms = 10000) {
  const [event] = await once(target, type, { signal: AbortSignal.timeout(ms) });
  return event;
}

/** Wait until the connection reaches `state`. */
export async function reaches(connection, state, ms = 10000) {
  while (connection.state !== state) await next(connection, "state", ms);
}

/** Deny-list a booking id (POST /bids/deny, scope relay:admin). */
export async function deny(bookingId) {
  const exp = Math.floor(Date.now() / 1000) + 300;
  const reply = await fetch(`${ACCESS}/bids/deny?bid=${encodeURIComponent(bookingId)}&exp=${exp}`, {
    method: "POST",
    headers: { Authorization: mint("admin", { scopes: ["relay:admin"] }) },
  });
  if (reply.status !== 204) throw new Error(`deny: ${reply.status} ${await reply.text()}`);
}
