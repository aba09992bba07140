#!/usr/bin/env bash
# The `mesoscope` CLI from a shell script, as a framework developer's CI would use it.
# Run by electron/cli/cli-script.int.test.ts; by hand:
#   MESOSCOPE_CONFIG_DIR=$(mktemp -d) MESOSCOPE_WORK_ROOT=$(mktemp -d) bash electron/cli/cli-script.sh NAME
# Every step checks what it gets; the first failure stops the script (exit 1) saying which step.
set -euo pipefail

NAME=${1:?usage: cli-script.sh CLUSTER-NAME}
REPO=$(cd "$(dirname "$0")/../.." && pwd)
mesoscope() { node "$REPO/bin/mesoscope.cjs" "$@"; }
fail() { echo "FAILED: $*" >&2; exit 1; }
step() { echo "== $*"; }

SPEC=$(mktemp --suffix=.yaml)
# Whatever happens, the cluster goes (a no-op after the `down` below).
trap 'mesoscope down "$NAME" >/dev/null 2>&1 || true; rm -f "$SPEC"' EXIT
# The emulator test images, and the fast timers of faults.md (1 s pings x 3: an agent is lost in ~3.5 s).
cat >"$SPEC" <<EOF
name: $NAME
agents: { count: 2 }
masters: { flags: { allocation_interval: 250ms } }
timers: { agentPingTimeout: 1secs, maxAgentPingTimeouts: 3 }
images:
  zookeeper: mesoscope/zookeeper:test
  master: mesoscope/mesos-emulator:test
  agent: mesoscope/mesos-emulator:test
pullPolicy: never
EOF

step up
mesoscope up -f "$SPEC" --yes >/dev/null 2>&1 || fail "up exited $?"

step "run a task that exits 3"
set +e
out=$(mesoscope run "$NAME" -- 'echo about to fail; exit 3' 2>&1)
code=$?
set -e
echo "$out"
[ "$code" -eq 5 ] || fail "run exited $code, expected 5 (a task did not finish)"
grep -q 'TASK_FAILED / – / SOURCE_EXECUTOR / Command exited with status 3' <<<"$out" || fail "run did not print the final status"
grep -q 'The command failed (exit 3)' <<<"$out" || fail "run did not print the doctor's verdict"

step "run a task that finishes, following its stdout"
out=$(mesoscope run "$NAME" --follow -- 'echo hello from the sandbox' 2>/dev/null) || fail "run of a finishing task exited $?"
[ "$out" = "hello from the sandbox" ] || fail "--follow printed '$out'"

step "ps --json, parsed with node -e"
summary=$(mesoscope ps "$NAME" --json | node -e '
  const tasks = JSON.parse(require("fs").readFileSync(0, "utf8"));
  const states = tasks.map((t) => t.state).sort();
  if (!tasks.every((t) => t.framework === "mesoscope" && /^agent-\d$/.test(t.agent))) process.exit(1);
  console.log(states.join(","));')
[ "$summary" = "TASK_FAILED,TASK_FINISHED" ] || fail "ps --json said $summary"

step "fault stop-agent, with its outcome"
out=$(mesoscope fault "$NAME" stop-agent --agent 1 --task-image mesoscope/task-base:test) || fail "fault exited $?"
echo "$out"
grep -q '^Expected (faults.md 12, observed): TASK_LOST / REASON_AGENT_REMOVED / SOURCE_MASTER / health check timed out' <<<"$out" || fail "no expectation printed"
grep -q '^Observed: TASK_LOST / REASON_AGENT_REMOVED / SOURCE_MASTER / health check timed out after' <<<"$out" || fail "no observed outcome printed"
grep -q '^Verdict: AS EXPECTED' <<<"$out" || fail "the outcome was not as faults.md says"

step doctor
out=$(mesoscope doctor "$NAME")
echo "$out"
grep -Eq '^task-[0-9a-f]+: The command failed \(exit 3\)$' <<<"$out" || fail "doctor did not name the exit 3"
grep -Eq '^fault-stop-agent-[0-9a-f]+: Agent unreachable$' <<<"$out" || fail "doctor did not name the lost agent"

step "env, evaluated, and curl to the master"
eval "$(mesoscope env "$NAME")"
[[ "$MESOS_MASTER" == zk://127.0.0.1:*/mesos ]] || fail "MESOS_MASTER=$MESOS_MASTER"
[ "$LIBPROCESS_IP" = 127.0.0.1 ] || fail "LIBPROCESS_IP=$LIBPROCESS_IP"
agents=$(curl -sfL --max-time 10 "$MESOSCOPE_MASTER_URL/master/state" | node -e '
  const s = JSON.parse(require("fs").readFileSync(0, "utf8"));
  console.log(s.slaves.filter((a) => a.active).length)') || fail "curl $MESOSCOPE_MASTER_URL/master/state failed"
[ "$agents" = 1 ] || fail "the master has $agents active agents, expected 1 (the other is stopped)"

# The Docker task containers the agents started (the fault's task), to check that `down` takes them too.
containers=$(mesoscope state "$NAME" | node -e '
  const s = JSON.parse(require("fs").readFileSync(0, "utf8"));
  const ids = new Set();
  for (const f of [...s.frameworks, ...(s.completed_frameworks ?? [])])
    for (const t of [...f.tasks, ...(f.unreachable_tasks ?? []), ...f.completed_tasks])
      if (t.container?.type === "DOCKER")
        for (const st of t.statuses ?? []) if (st.container_status?.container_id?.value) ids.add(`mesos-${st.container_status.container_id.value}`);
  console.log([...ids].join(" "))')
[ -n "$containers" ] || fail "mesoscope state shows no Docker task"
for c in $containers; do docker inspect "$c" >/dev/null 2>&1 || fail "task container $c is not there before down"; done

step down
mesoscope down "$NAME" || fail "down exited $?"

step "nothing left behind"
left=$(docker ps -aq --filter "label=io.mesoscope.cluster=$NAME"; docker volume ls -q --filter "label=io.mesoscope.cluster=$NAME"; docker network ls -q --filter "label=io.mesoscope.cluster=$NAME")
[ -z "$left" ] || fail "left behind: $left"
for c in $containers; do
  if docker inspect "$c" >/dev/null 2>&1; then fail "task container $c is still there"; fi
done
if [ -n "$(ls -A "$MESOSCOPE_WORK_ROOT" 2>/dev/null)" ]; then fail "work dirs left in $MESOSCOPE_WORK_ROOT: $(ls -A "$MESOSCOPE_WORK_ROOT")"; fi
set +e
mesoscope status "$NAME" >/dev/null 2>&1
code=$?
set -e
[ "$code" -eq 4 ] || fail "status after down exited $code, expected 4 (no such cluster)"
echo "ALL GOOD"
