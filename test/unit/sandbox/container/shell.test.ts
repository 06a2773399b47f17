import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cluster, run, runningPod, sh } from './support.ts';

const BUSYBOX = { containers: [{ name: 'box', image: 'busybox:1.37', command: ['sleep', '3600'] }] };

describe('the container shell', () => {
  const { registry, insides } = cluster();
  const pod = runningPod(registry, 'box', BUSYBOX, '10.244.1.5');

  test('lists, pipes and && / || follow exit statuses', async () => {
    const result = await sh(
      insides,
      pod,
      'echo one; false && echo no || echo yes; echo a b c | wc -w; echo $?',
    );
    assert.deepEqual(result, { stdout: 'one\nyes\n3\n0\n', stderr: '', code: 0 });
  });

  test('variables, quoting and command substitution expand as sh does', async () => {
    const result = await sh(
      insides,
      pod,
      `NAME='a  b'; echo "$NAME" $NAME '$NAME' "$(hostname)-\${NAME:-x}"`,
    );
    assert.equal(result.stdout, 'a  b a b $NAME box-a  b\n');
  });

  test('for loops, if and test', async () => {
    const result = await sh(
      insides,
      pod,
      'for i in $(seq 1 3); do if [ $i -eq 2 ]; then echo two; else echo $i; fi; done',
    );
    assert.equal(result.stdout, '1\ntwo\n3\n');
  });

  test('redirections write, append and merge stderr', async () => {
    const result = await sh(
      insides,
      pod,
      'echo first > /tmp/r.txt; echo second >> /tmp/r.txt; cat /tmp/nothing 2>&1; cat /tmp/r.txt',
    );
    assert.equal(result.stdout, "cat: can't open '/tmp/nothing': No such file or directory\nfirst\nsecond\n");
  });

  test('files made in one exec are there in the next; globs match them', async () => {
    await sh(insides, pod, 'mkdir -p /work/a && touch /work/a/x.log /work/a/y.log /work/a/z.txt');
    const result = await sh(insides, pod, 'ls /work/a/*.log; rm /work/a/x.log; ls /work/a');
    assert.equal(result.stdout, '/work/a/x.log\n/work/a/y.log\ny.log\nz.txt\n');
  });

  test('an unknown command is not found with 127; exit N ends the shell with N', async () => {
    assert.deepEqual(await sh(insides, pod, 'nosuch arg'), {
      stdout: '',
      stderr: 'sh: nosuch: not found\n',
      code: 127,
    });
    assert.equal((await sh(insides, pod, 'echo before; exit 4; echo after')).code, 4);
  });

  test('a syntax error is reported as sh reports it, with status 2', async () => {
    const result = await sh(insides, pod, 'if true; then echo x');
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^sh: syntax error: unexpected end of file \(expecting "fi"\)\n$/);
  });

  test('exec of a program the image lacks fails to start, as the runtime says', async () => {
    await assert.rejects(run(insides, pod, ['bash']), /exec: "bash": executable file not found in \$PATH/);
  });

  test('a shell on stdin runs each line and exits with the last status', async () => {
    const result = await run(insides, pod, ['sh'], { stdin: ['echo hi\nca', 't /etc/hostname\nfalse\n'] });
    assert.deepEqual(result, { stdout: 'hi\nbox\n', stderr: '', code: 1 });
  });

  test('with a tty the shell prompts, echoes, edits the line and ends lines with \\r\\n', async () => {
    const result = await run(insides, pod, ['sh'], {
      tty: true,
      stdin: ['echo hx\x7fi\r', 'cd /tmp\r', '\x04'],
    });
    assert.equal(result.stdout, '/ # echo hx\b \bi\r\nhi\r\n/ # cd /tmp\r\n/tmp # exit\r\n');
    assert.equal(result.code, 0);
  });

  test('ps lists the container command and the exec session', async () => {
    const result = await sh(insides, pod, 'ps');
    assert.match(result.stdout, /^PID {3}USER {5}TIME {2}COMMAND\n {4}1 root {6}0:00 sleep 3600\n/);
    assert.match(result.stdout, /ps\n$/);
  });
});
