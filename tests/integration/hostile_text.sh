#!/bin/bash
# hostile_text.sh: a real process whose path, argv and comm hold newlines, ANSI escapes, quotes, ']',
# invalid UTF-8 and a huge argument: the alert stays one valid JSON line on stdout, and the RFC5424 message
# over UDP keeps its frame (one header, one well-formed SD element with escaped values, MSG = that JSON).
. "$(dirname "$0")/lib.sh"
require_root
PORT=$(python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 - "$PORT" "$T/udp.bin" <<'PY' &
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", int(sys.argv[1]))); s.settimeout(30)
with open(sys.argv[2], "wb") as f:
    try:
        while True:
            d = s.recv(65536); f.write(len(d).to_bytes(4, "big") + d); f.flush()
    except socket.timeout:
        pass
PY
LPID=$!
trap 'kill $LPID 2>/dev/null || true; cleanup_default' EXIT
cat > "$T/c.conf" <<CFG
outputs = { journal = false; syslog = ( { url = "udp://127.0.0.1:$PORT"; udp_max = 8192; } ); };
alerting = { fold_window_s = 0; rate_limit = 0; };
CFG
rtmon_start -c "$T/c.conf" --stdout
python3 - "$T" <<'PY'
import os, shutil, subprocess, sys
d = os.path.join(sys.argv[1], b"ev\nil]\"\x1b[31m\xff\xfe dir".decode("utf-8", "surrogateescape"))
os.makedirs(d)
exe = os.path.join(d, "p\x1b]0;pwn\x07\n\"]x")
shutil.copy("/bin/true", exe)
# run detached from the test's make ancestry, so suspicious_exec is not excused as a build step
subprocess.run([sys.executable, os.environ["top_srcdir"] + "/scripts/sim_detach.py", exe,
                "arg\nwith newline", "\x1b[2J\x1b[H", "quote\"and]bracket\\", b"\xc3\x28 bad utf8".decode("utf-8", "surrogateescape"),
                "B" * 9000], check=True)
PY
sleep 0.5
rtmon_stop
kill "$LPID" 2>/dev/null || true; wait "$LPID" 2>/dev/null || true
python3 - "$T/out" "$T/udp.bin" <<'PY' || fail "hostile text checks"
import json, re, sys
lines = open(sys.argv[1], "rb").read().split(b"\n")
alerts = []
for l in lines:
    if not l.strip():
        continue
    l.decode("utf-8")                       # strict: every byte valid UTF-8
    assert b"\x1b" not in l and b"\r" not in l, "raw control bytes in a JSON line"
    alerts.append(json.loads(l))
mine = [a for a in alerts if a.get("kind") == "alert" and a["rule_id"] == "suspicious_exec" and "\ufffd" in a["event"].get("exe", "")]
assert mine, "no suspicious_exec alert for the hostile path: %r" % [a.get("rule_id") for a in alerts if a.get("kind") == "alert"]
a = mine[0]
assert "\x1b]0;pwn\x07\n\"]x" in a["event"]["exe"], a["event"]["exe"]
assert a["event"]["args"][1] == "arg\nwith newline" and a["event"]["args"][3] == 'quote"and]bracket\\', a["event"]["args"]
assert a["event"].get("args_truncated") is True, "a 9000-byte argument must set args_truncated"
print("ok: stdout alert is one valid JSON line; exe and argv kept exactly (invalid bytes as U+FFFD)")
raw = open(sys.argv[2], "rb").read()
msgs, i = [], 0
while i < len(raw):
    n = int.from_bytes(raw[i:i+4], "big"); msgs.append(raw[i+4:i+4+n]); i += 4 + n
want = [m for m in msgs if a["id"].encode() in m]
assert want, "the alert did not arrive over UDP (%d datagrams)" % len(msgs)
m = want[0]
hdr = re.match(rb'<(\d+)>1 (\S+) (\S+) rtmon (\d+) suspicious_exec ', m)
assert hdr, m[:120]
rest = m[hdr.end():]
assert rest.startswith(b"[rtmon@"), rest[:40]
# walk the SD element: PARAM-VALUEs may hold any UTF-8 but '"', '\' and ']' only escaped
j, inval = 0, False
while True:
    c = rest[j:j+1]
    if inval:
        if c == b"\\":
            assert rest[j+1:j+2] in (b'"', b"\\", b"]"), "bad escape %r" % rest[j:j+2]; j += 2; continue
        if c == b'"':
            inval = False
    elif c == b'"':
        inval = True
    elif c == b"]":
        break
    j += 1
sd, msg = rest[:j+1], rest[j+1:]
sd.decode("utf-8")
assert b'exe="' in sd and b"\\]" in sd and b'\\"' in sd, sd[:300]
assert msg.startswith(b" ") or msg.startswith(b" \xef\xbb\xbf"), msg[:10]
body = msg.lstrip(b" ").removeprefix(b"\xef\xbb\xbf")
assert json.loads(body)["id"] == a["id"], "MSG is not the alert JSON"
print("ok: RFC5424 frame intact, SD values escaped, MSG is the alert JSON (%d bytes)" % len(m))
PY
echo PASS
