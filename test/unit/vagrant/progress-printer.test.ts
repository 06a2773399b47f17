import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createProgressPrinter } from '../../../server/vagrant/progress-printer.ts';

describe('progress printer', () => {
  test('without a terminal only lines that changed are printed, once each', () => {
    const written: string[] = [];
    const printer = createProgressPrinter((text) => written.push(text), false);
    printer.show(['· a  waiting', '· b  waiting']);
    printer.show(['… a  booting', '· b  waiting']);
    printer.show(['… a  booting', '· b  waiting']);
    assert.deepEqual(written, ['· a  waiting\n· b  waiting\n', '… a  booting\n']);
  });

  test('on a terminal the block is redrawn in place', () => {
    const written: string[] = [];
    const printer = createProgressPrinter((text) => written.push(text), true);
    printer.show(['one', 'two']);
    printer.show(['one!', 'two']);
    assert.equal(written[0], '\x1b[2Kone\n\x1b[2Ktwo\n');
    assert.equal(written[1], '\x1b[2A\x1b[2Kone!\n\x1b[2Ktwo\n');
  });
});
