#!/usr/bin/python3
"""Runs a command and reports its exit code, wall time and peak RSS.

usage: run_bounded.py MAX_SECONDS MAX_RSS_MIB -- COMMAND...
Prints "exit=N seconds=S rss_mib=M" and exits 0 when both bounds hold,
1 when one is exceeded (the command is killed after 10 x MAX_SECONDS)."""
import os, subprocess, sys, time

def main():
    max_s, max_mib = float(sys.argv[1]), float(sys.argv[2])
    cmd = sys.argv[sys.argv.index("--") + 1:]
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = start + 10 * max_s
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() > deadline:
            proc.kill()
            pid, status, usage = os.wait4(proc.pid, 0)
            break
        time.sleep(0.005)
    secs = time.monotonic() - start
    rss = usage.ru_maxrss / 1024.0
    code = os.waitstatus_to_exitcode(status)
    print("exit=%d seconds=%.3f rss_mib=%.1f" % (code, secs, rss))
    sys.exit(0 if secs <= max_s and rss <= max_mib else 1)

if __name__ == "__main__":
    main()
