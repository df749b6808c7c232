// Relay's browser and Node client: the access POST, the websocket, and reconnection by close code.
// No dependencies; works with the global fetch/WebSocket/EventTarget of browsers and Node 22+, and
// on Node 20 with a WebSocket constructor passed in (e.g. the `ws` package's).

/** Close codes after which reconnecting cannot help (README, "Close codes"). */
export const TERMINAL_CODES = Object.freeze([4501, 4503]);
/** The session expired: reconnect only with a new token from `options.token`. */
export const NEEDS_TOKEN = 4502;

const DEFAULTS = Object.freeze({
  minDelay: 500, // ms before the first retry
  maxDelay: 10000, // ms, the cap of the exponential backoff
  jitter: 0.2, // ± fraction of each delay, so a class of browsers does not reconnect in step
  stableAfter: 5000, // ms a connection must live before the backoff starts again from minDelay
});

/** What a close (or a failed access request) leads to: "reconnect", "token" or "stop". */
export function policy(code) {
  if (TERMINAL_CODES.includes(code)) return "stop";
  if (code === NEEDS_TOKEN) return "token";
  return "reconnect";
}

/** The delay in ms before retry number `attempt` (0-based): exponential, capped, jittered. */
export function backoff(attempt, { minDelay, maxDelay, jitter } = DEFAULTS, random = Math.random) {
  const base = Math.min(maxDelay, minDelay * 2 ** Math.min(attempt, 30));
  return Math.round(base * (1 + jitter * (2 * random() - 1)));
}

/** An access request that failed with an HTTP status; `status` 0 means no answer (network). */
export class AccessError extends Error {
  constructor(status, message) {
    super(status ? `access refused: ${status} ${message}` : `access failed: ${message}`);
    this.name = "AccessError";
    this.status = status;
  }
}

/** Exchange a token for a one-time websocket URL. The token goes in the Authorization header. */
export async function requestUri(accessUrl, token, { fetch: fetchImpl = globalThis.fetch, signal } = {}) {
  let reply;
  try {
    reply = await fetchImpl(accessUrl, {
      method: "POST",
      headers: { Authorization: token },
      cache: "no-store",
      credentials: "omit",
      signal,
    });
  } catch (error) {
    throw new AccessError(0, String(error?.message ?? error));
  }
  const text = await reply.text();
  if (!reply.ok) throw new AccessError(reply.status, describe(text));
  let uri;
  try {
    ({ uri } = JSON.parse(text));
  } catch {
    uri = undefined;
  }
  if (typeof uri !== "string" || !/^wss?:\/\//.test(uri)) {
    throw new AccessError(reply.status, "reply has no websocket uri");
  }
  return uri;
}

function describe(body) {
  try {
    const value = JSON.parse(body);
    if (typeof value === "string") return value;
    if (value && typeof value.message === "string") return value.message;
  } catch {
    // not JSON: show the text itself
  }
  return body.trim().slice(0, 200);
}

function event(type, fields) {
  const e = new Event(type);
  return Object.assign(e, fields);
}

/**
 * A connection that keeps itself open. States: "connecting" (access request and dial), "open",
 * "waiting" (backoff before the next attempt) and "closed" (for good; see `lastClose`).
 */
export class Connection extends EventTarget {
  #accessUrl;
  #token;
  #options;
  #socket = null;
  #timer = null;
  #attempt = 0;
  #openedAt = 0;
  #stopped = false;
  #abort = null;

  constructor(accessUrl, token, options = {}) {
    super();
    this.#accessUrl = accessUrl;
    this.#token = token;
    this.#options = { ...DEFAULTS, ...options };
    this.state = "connecting";
    this.lastClose = null;
    this.attempts = 0;
    const WebSocketImpl = this.#options.WebSocket ?? globalThis.WebSocket;
    if (typeof WebSocketImpl !== "function") {
      throw new TypeError("no WebSocket: pass options.WebSocket (e.g. the ws package's) on Node < 22");
    }
    this.#options.WebSocket = WebSocketImpl;
    queueMicrotask(() => this.#dial());
  }

  /** Send a text (string) or binary (ArrayBuffer, typed array, Blob) message; false if not open. */
  send(data) {
    if (this.state !== "open" || !this.#socket) return false;
    this.#socket.send(data);
    return true;
  }

  /** Close for good (1000) and stop reconnecting. */
  close(code = 1000, reason = "") {
    this.#stop();
    if (this.#socket) {
      const socket = this.#socket;
      this.#socket = null;
      socket.close(code, reason);
      this.#closed({ code, reason, wasClean: true }, "stop");
    } else if (this.state !== "closed") {
      this.#setState("closed");
    }
  }

  #stop() {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#timer = null;
    this.#abort?.abort();
  }

  #setState(state) {
    if (state === this.state) return;
    const previous = this.state;
    this.state = state;
    this.dispatchEvent(event("state", { state, previous }));
  }

  async #dial() {
    if (this.#stopped) return;
    this.attempts += 1;
    this.#setState("connecting");
    this.#abort = new AbortController();
    let uri;
    try {
      uri = await requestUri(this.#accessUrl, this.#token, {
        fetch: this.#options.fetch,
        signal: this.#abort.signal,
      });
    } catch (error) {
      if (this.#stopped) return;
      // 401: the token is no good (expired): like 4502. Other 4xx will not change by retrying.
      const status = error.status ?? 0;
      const next = status === 401 ? "token" : status >= 400 && status < 500 ? "stop" : "reconnect";
      this.dispatchEvent(event("error", { error, status, willReconnect: this.#willReconnect(next) }));
      this.#after(next);
      return;
    }
    if (this.#stopped) return;
    const socket = new this.#options.WebSocket(uri);
    socket.binaryType = "arraybuffer";
    this.#socket = socket;
    socket.addEventListener("open", () => {
      if (socket !== this.#socket) return;
      this.#openedAt = Date.now();
      this.#setState("open");
      this.dispatchEvent(event("open", { url: this.#accessUrl }));
    });
    socket.addEventListener("message", (e) => {
      if (socket !== this.#socket) return;
      const text = typeof e.data === "string";
      this.dispatchEvent(event("message", { data: e.data, kind: text ? "text" : "binary" }));
    });
    // A failed dial is reported by the close event that follows (1006); the listener also keeps
    // Node's `ws` (an EventEmitter) from throwing on an unheard "error".
    socket.addEventListener("error", () => {});
    socket.addEventListener("close", (e) => {
      if (socket !== this.#socket) return;
      this.#socket = null;
      this.#closed({ code: e.code, reason: e.reason, wasClean: e.wasClean }, policy(e.code));
    });
  }

  #willReconnect(next) {
    return !this.#stopped && (next === "reconnect" || (next === "token" && !!this.#options.token));
  }

  #closed({ code, reason, wasClean }, next) {
    const lived = this.#openedAt ? Date.now() - this.#openedAt : 0;
    this.#openedAt = 0;
    if (lived >= this.#options.stableAfter) this.#attempt = 0;
    const willReconnect = this.#willReconnect(next);
    this.lastClose = { code, reason, wasClean, willReconnect };
    this.dispatchEvent(event("close", { ...this.lastClose }));
    this.#after(this.#stopped ? "stop" : next);
  }

  async #after(next) {
    if (this.#stopped || next === "stop" || (next === "token" && !this.#options.token)) {
      this.#stopped = true;
      this.#setState("closed");
      return;
    }
    if (next === "token") {
      let token;
      try {
        token = await this.#options.token();
      } catch {
        token = "";
      }
      if (this.#stopped) return;
      if (!token) {
        this.#stopped = true;
        this.#setState("closed");
        return;
      }
      this.#token = token;
    }
    const delay = backoff(this.#attempt, this.#options);
    this.#attempt += 1;
    this.#setState("waiting");
    this.#timer = setTimeout(() => this.#dial(), delay);
  }
}

/** Open a connection to `accessUrl` (e.g. https://relay.example.org/access/session/lab1-data). */
export function connect(accessUrl, token, options = {}) {
  return new Connection(accessUrl, token, options);
}
