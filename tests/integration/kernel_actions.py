#!/usr/bin/env python3
# kernel_actions.py WORKDIR OUT.json: the kernel-level techniques of tests/integration/kernel_actions.sh, each
# by its own process (whose pid is recorded), and their near misses:
#   a packet socket opened by a sniffer run from a temp directory (packet_socket),
#   a BPF program loaded with bpf(BPF_PROG_LOAD) by python (foreign_bpf_load),
#   bind shells: socat TCP-LISTEN:P EXEC:..., nc.traditional -l -p P -e ... (bind_shell, at LISTEN),
#   near misses: python3 -m http.server listening, a raw ICMP socket by ping, an AF_INET UDP socket.
import ctypes, json, os, socket, struct, subprocess, sys, time

work, out = sys.argv[1], sys.argv[2]
did = []


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def wait_port(port, proc, t=5.0):
    end = time.time() + t
    while time.time() < end:
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return True
        except OSError:
            if proc.poll() is not None:
                return False
            time.sleep(0.05)
    return False


def listener(want, argv, port, what):
    p = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    ok = wait_port(port, p)
    try:
        p.wait(3)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()
    did.append({"want": want, "pid": p.pid, "type": "listen", "what": what, "match": {"local_port": port}, "ran": ok})


# packet socket: a sniffer compiled into the temp work dir
src = os.path.join(work, "sniff.c")
exe = os.path.join(work, "sniff")
open(src, "w").write('#include <arpa/inet.h>\n#include <linux/if_ether.h>\n#include <sys/socket.h>\n'
                     '#include <unistd.h>\nint main(void) { int s = socket(AF_PACKET, SOCK_RAW, '
                     'htons(ETH_P_ALL)); if (s >= 0) close(s); return s < 0; }\n')
subprocess.run(["cc", "-o", exe, src], check=True)
p = subprocess.run([exe])
did.append({"want": "packet_socket", "pid": None, "exe": exe, "type": "socket", "what": "AF_PACKET by " + exe,
            "ran": p.returncode == 0})

# a BPF program load: r0 = 0; exit, as a socket filter named rtmon_test
pid = os.fork()
if pid == 0:
    libc = ctypes.CDLL(None, use_errno=True)
    insns = ctypes.create_string_buffer(struct.pack("<BBhiBBhi", 0xb7, 0, 0, 0, 0x95, 0, 0, 0))
    lic = ctypes.create_string_buffer(b"GPL")
    attr = ctypes.create_string_buffer(128)
    struct.pack_into("<IIQQ", attr, 0, 1, 2, ctypes.addressof(insns), ctypes.addressof(lic))
    attr[48:48 + 10] = b"rtmon_test"
    fd = libc.syscall(321, 5, attr, 128)  # bpf(BPF_PROG_LOAD)
    os._exit(0 if fd >= 0 else 1)
_, st = os.waitpid(pid, 0)
did.append({"want": "foreign_bpf_load", "pid": pid, "type": "bpf_prog", "what": "BPF_PROG_LOAD socket_filter",
            "ran": st == 0, "match": {"bpf_prog_name": "rtmon_test"}})

# bind shells, seen when they listen (before anyone connects)
port = free_port()
listener("bind_shell", ["socat", "TCP-LISTEN:%d,reuseaddr" % port, "EXEC:/bin/true"], port,
         "socat TCP-LISTEN EXEC")
port = free_port()
listener("bind_shell", ["nc.traditional", "-l", "-p", str(port), "-e", "/bin/true"], port,
         "nc.traditional -l -e")
# near misses
port = free_port()
p = subprocess.Popen([sys.executable, "-m", "http.server", "--bind", "127.0.0.1", str(port)],
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
ok = wait_port(port, p)
p.kill()
p.wait()
did.append({"want": "", "pid": p.pid, "type": "listen", "what": "python3 -m http.server", "ran": ok})
pid = os.fork()
if pid == 0:
    socket.socket(socket.AF_INET, socket.SOCK_DGRAM).close()
    os._exit(0)
os.waitpid(pid, 0)
did.append({"want": "", "pid": pid, "type": "", "what": "UDP socket", "ran": True})
json.dump(did, open(out, "w"))
