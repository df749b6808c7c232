// The lab console: one connection through the Relay client; text messages in the log, MPEG-TS on the canvas.
// ?access=<access URL> fills the form; #token=<token> (a fragment never leaves the browser) too; with both
// the page connects by itself.
import { connect } from "./vendor/relay-client.js";
import JSMpeg from "./vendor/jsmpeg-player.esm.js";

const LOG_LINES = 200; // the log keeps this many lines: a chatty lab must not grow the page without bound
const TS_SYNC = 0x47; // first byte of every MPEG-TS packet

const $ = (id) => document.getElementById(id);
const ui = {
  state: $("state"),
  attempts: $("attempts"),
  access: $("access"),
  token: $("token"),
  connect: $("connect"),
  disconnect: $("disconnect"),
  renew: $("renew"),
  notice: $("notice"),
  close: $("close"),
  error: $("error"),
  frames: $("frames"),
  videoBytes: $("video-bytes"),
  message: $("message"),
  send: $("send"),
  log: $("log"),
};

/** A jsmpeg source fed by us: the client owns the websocket, jsmpeg only decodes what it is given. */
class FeedSource {
  constructor(_url, options) {
    this.destination = null;
    this.streaming = true;
    this.established = false;
    this.completed = false;
    this.progress = 0;
    this.onEstablished = options.hookOnEstablished;
  }
  connect(destination) {
    this.destination = destination;
  }
  start() {}
  resume() {}
  destroy() {}
  write(bytes) {
    if (!this.established) {
      this.established = true;
      this.progress = 1;
      this.onEstablished?.();
    }
    this.destination?.write(bytes);
  }
}

let frames = 0;
let videoBytes = 0;
const player = new JSMpeg.Player("", {
  source: FeedSource,
  canvas: $("video"),
  audio: false,
  disableGl: true, // 2D canvas: works without a GPU and can be read back
  pauseWhenHidden: false,
  videoBufferSize: 1024 * 1024,
  onVideoDecode: () => {
    frames += 1;
    ui.frames.textContent = String(frames);
  },
});

let connection = null;
let tokenWanted = null; // resolves the client's token request after a 4502

function log(kind, text) {
  const line = document.createElement("li");
  line.className = kind;
  line.textContent = text;
  ui.log.append(line);
  while (ui.log.childElementCount > LOG_LINES) ui.log.firstElementChild.remove();
  ui.log.scrollTop = ui.log.scrollHeight;
}

function showState(state) {
  ui.state.textContent = state;
  ui.state.dataset.state = state;
  const live = state !== "closed" && state !== "idle";
  ui.connect.disabled = live;
  ui.disconnect.disabled = !live;
  ui.send.disabled = state !== "open";
  ui.attempts.textContent = connection ? `attempt ${connection.attempts}` : "";
}

function askForToken() {
  ui.notice.textContent = "The session expired (4502): paste a new token and press “Use this new token”.";
  ui.renew.hidden = false;
  return new Promise((resolve) => {
    tokenWanted = resolve;
  });
}

function giveToken(token) {
  ui.renew.hidden = true;
  ui.notice.textContent = "";
  tokenWanted?.(token);
  tokenWanted = null;
}

function start() {
  connection?.close();
  const accessUrl = ui.access.value.trim();
  const token = ui.token.value.trim();
  if (!accessUrl || !token) return;
  const c = connect(accessUrl, token, { token: askForToken });
  connection = c;
  c.addEventListener("state", (e) => c === connection && showState(e.state));
  c.addEventListener("open", () => log("event", "open"));
  c.addEventListener("close", (e) => {
    const text = `${e.code} ${e.reason || "(no reason)"}${e.willReconnect ? ", reconnecting" : ""}`;
    ui.close.textContent = text;
    log("event", `closed ${text}`);
  });
  c.addEventListener("error", (e) => {
    ui.error.textContent = `${e.error.message}${e.willReconnect ? ", retrying" : ""}`;
  });
  c.addEventListener("message", (e) => {
    if (e.kind === "text") {
      log("in", e.data);
      return;
    }
    const bytes = new Uint8Array(e.data);
    if (bytes[0] === TS_SYNC) {
      videoBytes += bytes.byteLength;
      ui.videoBytes.textContent = String(videoBytes);
      player.source.write(e.data);
    } else {
      log("binary", `${bytes.byteLength} bytes`);
    }
  });
  showState(c.state);
}

ui.renew.addEventListener("click", () => giveToken(ui.token.value.trim()));
ui.disconnect.addEventListener("click", () => {
  giveToken("");
  connection?.close();
});
$("connect-form").addEventListener("submit", (e) => {
  e.preventDefault();
  start();
});
$("send-form").addEventListener("submit", (e) => {
  e.preventDefault();
  const text = ui.message.value;
  if (text && connection?.send(text)) {
    log("out", text);
    ui.message.value = "";
  }
});

const query = new URLSearchParams(location.search);
const fragment = new URLSearchParams(location.hash.slice(1));
if (query.has("token")) {
  ui.notice.textContent = "A token in the query string is ignored: it would reach servers and logs. Use #token=…";
}
ui.access.value = query.get("access") ?? "";
ui.token.value = fragment.get("token") ?? "";
showState("idle");
if (ui.access.value && ui.token.value) start();
