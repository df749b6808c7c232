// Compiled with `tsc --noEmit` by tests/e2e/test_js_client.py: index.d.ts must describe this usage.
import { AccessError, type Connection, connect, policy, type State } from "@relay/client";

const relay: Connection = connect("https://relay.example.org/access/session/lab1-data", "token", {
  token: async () => "new token",
  minDelay: 250,
  WebSocket: globalThis.WebSocket,
});
relay.addEventListener("message", (e) => {
  if (e.kind === "text") {
    const text: string = e.data;
    console.log(text.length);
  } else {
    const bytes: ArrayBuffer = e.data;
    console.log(bytes.byteLength);
  }
});
relay.addEventListener("close", (e) => console.log(e.code, e.reason, e.willReconnect));
relay.addEventListener("state", (e) => {
  const now: State = e.state;
  console.log(e.previous, now);
});
relay.addEventListener("error", (e) => console.log(e.status, e.error instanceof AccessError));
const sent: boolean = relay.send(new Uint8Array([1, 2, 3]));
console.log(sent, relay.send("text"), policy(4503) === "stop", relay.lastClose?.code);
relay.close();

// @ts-expect-error: numbers are not messages
relay.send(42);
