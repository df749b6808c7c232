// The client against a real gateway (started by tests/e2e/test_js_client.py) and its pure parts.
import assert from "node:assert/strict";
import { createServer } from "node:net";
import { describe, it } from "node:test";
import { WebSocket } from "ws";

import { backoff, connect, policy, requestUri } from "../src/index.js";
import { HAVE_GATEWAY, deny, mint, next, reaches, sessionUrl, topic } from "./helpers.js";

describe("policy and backoff", () => {
  it("follows the README's close-code table", () => {
    for (const code of [1000, 1006, 1011, 1012, 1013, 4000, 4500]) assert.equal(policy(code), "reconnect", code);
    assert.equal(policy(4501), "stop");
    assert.equal(policy(4503), "stop");
    assert.equal(policy(4502), "token");
  });

  it("doubles from minDelay up to maxDelay, within the jitter", () => {
    const options = { minDelay: 500, maxDelay: 10000, jitter: 0.2 };
    assert.deepEqual(
      [0, 1, 2, 3, 4, 5, 40].map((n) => backoff(n, options, () => 0.5)),
      [500, 1000, 2000, 4000, 8000, 10000, 10000],
    );
    assert.equal(backoff(0, options, () => 0), 400);
    assert.equal(backoff(0, options, () => 1), 600);
  });

  it("refuses an access reply without a websocket uri", async () => {
    const reply = async () => new Response(JSON.stringify({ uri: "http://not-a-websocket" }));
    await assert.rejects(requestUri("http://127.0.0.1/session/x", "t", { fetch: reply }), /no websocket uri/);
  });
});

describe("against a gateway", { skip: !HAVE_GATEWAY && "RELAY_TEST_ACCESS etc. not set" }, () => {
  const options = { WebSocket, minDelay: 50, maxDelay: 200 };

  it("keeps text and binary apart, both ways", async () => {
    const t = topic("data");
    const a = connect(sessionUrl(t), mint(t), options);
    const b = connect(sessionUrl(t), mint(t), options);
    await Promise.all([next(a, "open"), next(b, "open")]);
    assert.equal(a.send("hello from node"), true);
    const text = await next(b, "message");
    assert.equal(text.kind, "text");
    assert.equal(text.data, "hello from node");
    b.send(new Uint8Array([0, 1, 2, 255]));
    const binary = await next(a, "message");
    assert.equal(binary.kind, "binary");
    assert.ok(binary.data instanceof ArrayBuffer);
    assert.deepEqual([...new Uint8Array(binary.data)], [0, 1, 2, 255]);
    a.close();
    b.close();
    assert.equal(a.state, "closed");
  });

  it("posts the token in the Authorization header, never in the URL", async () => {
    const t = topic("header");
    const token = mint(t);
    const seen = [];
    const spy = (url, init) => {
      seen.push({ url: String(url), auth: init.headers.Authorization, method: init.method });
      return fetch(url, init);
    };
    const c = connect(sessionUrl(t), token, { ...options, fetch: spy });
    await next(c, "open");
    c.close();
    assert.deepEqual(seen, [{ url: sessionUrl(t), auth: token, method: "POST" }]);
    assert.ok(!seen[0].url.includes(token));
  });

  it("gets a new code after 4500 and reconnects", async () => {
    const t = topic("code");
    let calls = 0;
    const spoilFirst = async (url, init) => {
      const reply = await fetch(url, init);
      if (++calls > 1) return reply;
      const { uri } = await reply.json();
      return new Response(JSON.stringify({ uri: uri.replace(/code=[^&]*/, "code=not-a-code") }));
    };
    const c = connect(sessionUrl(t), mint(t), { ...options, fetch: spoilFirst });
    const closed = await next(c, "close");
    assert.equal(closed.code, 4500);
    assert.equal(closed.willReconnect, true);
    await next(c, "open");
    assert.equal(c.attempts, 2);
    c.close();
  });

  it("reconnects after a dial that fails (1006)", async () => {
    const t = topic("dial");
    const dead = `ws://127.0.0.1:${await closedPort()}/session/x?code=c`;
    let calls = 0;
    const deadFirst = async (url, init) => {
      const reply = await fetch(url, init);
      return ++calls > 1 ? reply : new Response(JSON.stringify({ uri: dead }));
    };
    const c = connect(sessionUrl(t), mint(t), { ...options, fetch: deadFirst });
    const closed = await next(c, "close");
    assert.equal(closed.code, 1006);
    assert.equal(closed.willReconnect, true);
    await next(c, "open");
    assert.equal(c.attempts, 2);
    c.close();
  });

  it("gives up on 4501 without another access request", async () => {
    const t = topic("mismatch");
    const other = topic("other");
    const wrongTopic = async (url, init) => {
      const { uri } = await (await fetch(url, init)).json();
      return new Response(JSON.stringify({ uri: uri.replace(encodeURIComponent(t), encodeURIComponent(other)) }));
    };
    const c = connect(sessionUrl(t), mint(t), { ...options, fetch: wrongTopic });
    const closed = await next(c, "close");
    assert.equal(closed.code, 4501);
    assert.equal(closed.willReconnect, false);
    assert.equal(c.state, "closed");
    assert.equal(c.attempts, 1);
  });

  it("gives up on 4503 when the booking is denied", async () => {
    const t = topic("deny");
    const bookingId = `${t}-booking`;
    const c = connect(sessionUrl(t), mint(t, { bookingId }), options);
    await next(c, "open");
    const closing = next(c, "close");
    await deny(bookingId);
    const closed = await closing;
    assert.equal(closed.code, 4503);
    assert.equal(closed.willReconnect, false);
    assert.equal(c.state, "closed");
    assert.equal(c.attempts, 1);
  });

  it("on 4502 asks for a new token and carries on with it, or stops without a callback", async () => {
    // Both at once: each waits for its token's expiry (2-3 s).
    const renewed = topic("expiry");
    const final = topic("expiry-final");
    let asked = 0;
    const withToken = connect(sessionUrl(renewed), mint(renewed, { lifetime: 3 }), {
      ...options,
      token: () => {
        asked += 1;
        return mint(renewed);
      },
    });
    const without = connect(sessionUrl(final), mint(final, { lifetime: 3 }), options);
    await Promise.all([next(withToken, "open"), next(without, "open")]);
    const [renewedClose, finalClose] = await Promise.all([next(withToken, "close"), next(without, "close")]);
    assert.deepEqual([renewedClose.code, renewedClose.willReconnect], [4502, true]);
    assert.deepEqual([finalClose.code, finalClose.willReconnect], [4502, false]);
    assert.equal(without.state, "closed");
    await next(withToken, "open");
    assert.equal(asked, 1);
    withToken.close();
  });

  it("reports an access refusal and stops on a 4xx other than 401", async () => {
    const t = topic("refused");
    const bookingId = `${t}-booking`;
    await deny(bookingId);
    const c = connect(sessionUrl(t), mint(t, { bookingId }), options);
    const error = await next(c, "error");
    assert.equal(error.status, 400);
    assert.match(error.error.message, /deny-listed/);
    assert.equal(error.willReconnect, false);
    await reaches(c, "closed");
  });

  it("stops on an access 401 without a token callback, and renews with one", async () => {
    const t = topic("unauthorised");
    const bad = connect(sessionUrl(t), "not-a-token", options);
    const refused = await next(bad, "error");
    assert.deepEqual([refused.status, refused.willReconnect], [401, false]);
    await reaches(bad, "closed");
    const renewed = connect(sessionUrl(t), "not-a-token", { ...options, token: () => mint(t) });
    const retried = await next(renewed, "error");
    assert.deepEqual([retried.status, retried.willReconnect], [401, true]);
    await next(renewed, "open");
    assert.equal(renewed.attempts, 2);
    renewed.close();
  });

  it("keeps retrying while the access API does not answer, until closed", async () => {
    const c = connect(`http://127.0.0.1:${await closedPort()}/session/nowhere`, "t", options);
    const first = await next(c, "error");
    assert.equal(first.status, 0);
    assert.equal(first.willReconnect, true);
    await next(c, "error"); // a second attempt after the backoff
    assert.ok(c.attempts >= 2);
    c.close();
    assert.equal(c.state, "closed");
  });
});

/** A loopback port with nothing listening on it. */
async function closedPort() {
  const server = createServer();
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const { port } = server.address();
  await new Promise((ok) => server.close(ok));
  return port;
}
