import { EventEmitter } from 'node:events';
import { exitIfShutdownHangs } from './shutdown-deadline';

describe('exitIfShutdownHangs', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('exits with 1 when the shutdown outlasts the deadline, and says why', () => {
    const target = new EventEmitter();
    const exit = jest.fn();
    const log = jest.fn();
    exitIfShutdownHangs({ ms: 1000, target, exit, log });
    target.emit('SIGTERM');
    jest.advanceTimersByTime(999);
    expect(exit).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(exit).toHaveBeenCalledWith(1);
    expect(log.mock.calls[0][0]).toContain('SIGTERM');
  });

  it('does nothing without a signal', () => {
    const target = new EventEmitter();
    const exit = jest.fn();
    exitIfShutdownHangs({ ms: 1000, target, exit, log: jest.fn() });
    jest.advanceTimersByTime(10_000);
    expect(exit).not.toHaveBeenCalled();
  });

  it('arms on SIGINT too', () => {
    const target = new EventEmitter();
    const exit = jest.fn();
    exitIfShutdownHangs({ ms: 500, target, exit, log: jest.fn() });
    target.emit('SIGINT');
    jest.advanceTimersByTime(500);
    expect(exit).toHaveBeenCalledTimes(1);
  });
});
