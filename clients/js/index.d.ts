// Types of @relay/client (src/index.js).

export type State = "connecting" | "open" | "waiting" | "closed";

/** What the client needs of a WebSocket: the browser's, Node 22's or the `ws` package's. */
export interface WebSocketLike {
  binaryType: string;
  send(data: string | ArrayBufferLike | ArrayBufferView | Blob): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: "open" | "message" | "close" | "error", listener: (event: any) => void): void;
}

export interface ConnectOptions {
  /** A WebSocket constructor; default `globalThis.WebSocket` (Node 20: pass `ws`'s). */
  WebSocket?: new (url: string) => WebSocketLike;
  /** A fetch function; default `globalThis.fetch`. */
  fetch?: typeof fetch;
  /** Asked for a new token after close 4502 (session expired) or an access 401; "" gives up. */
  token?: () => string | Promise<string>;
  /** Milliseconds before the first retry (default 500). */
  minDelay?: number;
  /** Cap of the exponential backoff in milliseconds (default 10000). */
  maxDelay?: number;
  /** ± fraction of each delay (default 0.2). */
  jitter?: number;
  /** Milliseconds a connection must live before the backoff restarts (default 5000). */
  stableAfter?: number;
}

export interface CloseInfo {
  code: number;
  reason: string;
  wasClean: boolean;
  willReconnect: boolean;
}

export interface OpenEvent extends Event {
  readonly url: string;
}
export interface TextMessageEvent extends Event {
  readonly kind: "text";
  readonly data: string;
}
export interface BinaryMessageEvent extends Event {
  readonly kind: "binary";
  readonly data: ArrayBuffer;
}
export type RelayMessageEvent = TextMessageEvent | BinaryMessageEvent;
export interface RelayCloseEvent extends Event, CloseInfo {}
export interface StateEvent extends Event {
  readonly state: State;
  readonly previous: State;
}
export interface AccessErrorEvent extends Event {
  readonly error: AccessError;
  /** HTTP status of the refusal; 0 when the access API did not answer. */
  readonly status: number;
  readonly willReconnect: boolean;
}

export interface ConnectionEventMap {
  open: OpenEvent;
  message: RelayMessageEvent;
  close: RelayCloseEvent;
  state: StateEvent;
  error: AccessErrorEvent;
}

export declare class Connection extends EventTarget {
  constructor(accessUrl: string, token: string, options?: ConnectOptions);
  readonly state: State;
  /** The last close (or null before any); `willReconnect` false once the state is "closed". */
  readonly lastClose: CloseInfo | null;
  /** Access requests made so far (1 for the first connection). */
  readonly attempts: number;
  /** False when not open (nothing is queued). */
  send(data: string | ArrayBufferLike | ArrayBufferView | Blob): boolean;
  /** Close for good and stop reconnecting. */
  close(code?: number, reason?: string): void;
  addEventListener<K extends keyof ConnectionEventMap>(
    type: K,
    listener: (event: ConnectionEventMap[K]) => void,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | AddEventListenerOptions,
  ): void;
  removeEventListener<K extends keyof ConnectionEventMap>(
    type: K,
    listener: (event: ConnectionEventMap[K]) => void,
    options?: boolean | EventListenerOptions,
  ): void;
  removeEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | EventListenerOptions,
  ): void;
}

export declare class AccessError extends Error {
  constructor(status: number, message: string);
  readonly status: number;
}

export declare const TERMINAL_CODES: readonly number[];
export declare const NEEDS_TOKEN: 4502;
export declare function policy(code: number): "reconnect" | "token" | "stop";
export declare function backoff(
  attempt: number,
  options?: { minDelay: number; maxDelay: number; jitter: number },
  random?: () => number,
): number;
export declare function requestUri(
  accessUrl: string,
  token: string,
  options?: { fetch?: typeof fetch; signal?: AbortSignal },
): Promise<string>;
export declare function connect(accessUrl: string, token: string, options?: ConnectOptions): Connection;
