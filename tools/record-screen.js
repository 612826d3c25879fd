// Keeps a copy of every frame the page's websocket receives (textual-serve's terminal draws on a canvas);
// window.__screenText() gives the screen's text without escape sequences. Used by the browser tests
// (tests/browser/test_web_browser.py) and tools/screenshots.py.
(() => {
  const Native = window.WebSocket;
  const frames = [];
  const decoder = new TextDecoder();
  window.__screenText = () => frames.join("").replace(/\x1b\[[0-9;?<>=]*[ -\/]*[@-~]/g, "");
  function Recording(url, protocols) {
    const ws = protocols === undefined ? new Native(url) : new Native(url, protocols);
    ws.addEventListener("message", (e) => {
      if (typeof e.data === "string") { frames.push(e.data); }
      else if (e.data instanceof ArrayBuffer) { frames.push(decoder.decode(e.data, { stream: true })); }
      else if (e.data instanceof Blob) { e.data.arrayBuffer().then((b) => frames.push(decoder.decode(b))); }
    });
    return ws;
  }
  Recording.prototype = Native.prototype;
  Object.assign(Recording, { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 });
  window.WebSocket = Recording;
})();
