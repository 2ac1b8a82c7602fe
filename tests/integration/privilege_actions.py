#!/usr/bin/env python3
# privilege_actions.py WORKDIR OUT.json: the privilege changes of tests/integration/privilege_gain.sh.
#   fire: a process drops its real uid to nobody (keeping a saved uid of 0), does something rtmon sees (a UDP
#         connect), takes uid 0 back with setresuid and execs /bin/true: the kernel's view of a process
#         that became root without a set-user-ID program (what a commit_creds exploit looks like);
#   miss: nobody runs a set-user-ID root program (compiled here) that switches to uid 0 and execs /bin/true,
#         as sudo and su do.
import json, os, socket, subprocess, sys

work, out = sys.argv[1], sys.argv[2]
did = []
NOBODY = 65534


def udp_poke():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.connect(("127.0.0.1", 9))
    s.close()


pid = os.fork()
if pid == 0:
    os.setresuid(NOBODY, NOBODY, 0)
    udp_poke()
    os.setresuid(0, 0, 0)
    os.execv("/bin/true", ["true"])
os.waitpid(pid, 0)
did.append({"want": "privilege_gain", "pid": pid, "type": "exec", "what": "uid nobody -> 0 by setresuid, then exec"})

src = os.path.join(work, "suid.c")
exe = os.path.join(work, "suid")
open(src, "w").write('#include <unistd.h>\nint main(void) { if (setuid(0)) return 1; '
                     'execl("/bin/true", "true", (char *)0); return 1; }\n')
subprocess.run(["cc", "-o", exe, src], check=True)
os.chmod(exe, 0o4755)
os.chmod(work, 0o755)
pid = os.fork()
if pid == 0:
    os.setgroups([])
    os.setresgid(NOBODY, NOBODY, NOBODY)
    os.setresuid(NOBODY, NOBODY, NOBODY)
    udp_poke()
    os.execv(exe, ["suid"])
_, st = os.waitpid(pid, 0)
did.append({"want": "", "pid": pid, "type": "", "what": "set-user-ID root program switching to uid 0",
            "ran": st == 0})
json.dump(did, open(out, "w"))
