"""`sim delete-pod` after 10 and after 1,000 prior events, and `sim deploy -n N`
(BENCHMARKS.md, "Simulator scale").

Usage: python3 tools/sim_scale_bench.py CARGO_CHARM_BINARY LABEL FORMAT CHARM [DEPLOY_N]
FORMAT is the model format the binary saves (2: history inside model.json; 3 or 4:
history/*.jsonl); CHARM a packed .charm (the demo's). The history is padded by repeating
recorded records. With DEPLOY_N, first times `sim deploy CHARM -n DEPLOY_N`: wall time, the
CPU time of the command and every process it waited for (user + sys), the time inside hooks
(the events' wall times) and the time per dispatch outside them.
"""
import json, subprocess, sys, time, os, shutil, resource
B, label, fmt, CHARM = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
if len(sys.argv) > 5:
    n = int(sys.argv[5])
    d = '/tmp/ss-bench-%s-deploy' % label
    shutil.rmtree(d, ignore_errors=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.time()
    subprocess.run([B, 'sim', 'deploy', CHARM, '-n', str(n), '--state', d, '-q'], check=True)
    wall = time.time() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    ev = [json.loads(l) for l in open(d + '/history/events.jsonl')]
    hooks = sum(e['wall_ms'] for e in ev) / 1000
    print(label, 'deploy -n %d: %.1f s wall, %.1f s CPU, %d dispatches, %.1f s in hooks (%.1f ms each), %.1f ms per dispatch outside hooks'
          % (n, wall, cpu, len(ev), hooks, hooks * 1000 / len(ev), (wall - hooks) * 1000 / len(ev)), flush=True)
    subprocess.run([B, 'sim', 'destroy', '--state', d, '-q'], check=True)
def inflate(d, n):
    m = json.load(open(d+'/model.json'))
    if fmt == '2':
        ev = m['events']; logs = m['logs']
        while len(ev) < n: ev.append(dict(ev[len(ev) % 5], seq=len(ev)))
        while len(logs) < n: logs.append(logs[len(logs) % max(1,len(logs))] if logs else {"at":0,"unit":"x","hook":"h","source":"s","level":"INFO","message":"m"})
        json.dump(m, open(d+'/model.json','w'), indent=2)
    else:
        for kind in ['events','logs']:
            p = d+'/history/%s.jsonl' % kind
            lines = open(p,'rb').read().splitlines(keepends=True) if os.path.exists(p) else []
            ext = m['history'][kind]
            lines = lines[:ext['records']]
            base = lines or [b'{"at":0,"unit":"x","hook":"h","source":"s","level":"INFO","message":"m"}\n']
            while len(lines) < n: lines.append(base[len(lines) % len(base)])
            data = b''.join(lines); open(p,'wb').write(data)
            m['history'][kind] = {'records': len(lines), 'bytes': len(data)}
        json.dump(m, open(d+'/model.json','w'))
for n in [10, 1000]:
    d = '/tmp/ss-bench-%s-%d' % (label, n)
    shutil.rmtree(d, ignore_errors=True)
    subprocess.run([B,'sim','deploy',CHARM,'--state',d,'-q'], check=True)
    inflate(d, n)
    ts = []
    for i in range(5):
        t = time.time(); subprocess.run([B,'sim','delete-pod','demo-api-charm/0','--state',d,'-q'], check=True); ts.append(time.time()-t)
    ts.sort()
    print(label, 'delete-pod after %d events: median %.3f s (runs %s)' % (n, ts[2], ' '.join('%.3f'%x for x in ts)), flush=True)
    subprocess.run([B,'sim','destroy','--state',d,'-q'], check=True)
