// The page's pure modules, without a browser: the speed fold of the chart, the
// /metrics parsing and rates, and the table's ordering and filters.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { describeMessage, speedSeries } from '../../web/history.js';
import { parseMetrics, ratesBetween } from '../../web/metrics.js';
import { compareRockets, matchesFilters } from '../../web/table.js';

const entry = (messageNumber, messageType, message, applied = true) =>
  ({ messageNumber, messageType, messageTime: `2022-02-02T19:39:${String(messageNumber).padStart(2, '0')}.5+01:00`, message, applied });
const speeds = (points) => points.map((p) => [p.messageNumber, p.speed]);

describe('speedSeries follows the fold of DESIGN §3', () => {
  test('launch sets the speed, increased and decreased add and subtract, unclamped', () => {
    const points = speedSeries([
      entry(1, 'RocketLaunched', { type: 'Falcon-9', launchSpeed: 500, mission: 'ARTEMIS' }),
      entry(2, 'RocketSpeedIncreased', { by: 300 }),
      entry(3, 'RocketSpeedDecreased', { by: 1000 }),
      entry(4, 'RocketMissionChanged', { newMission: 'MARS' }),
    ]);
    assert.deepEqual(speeds(points), [[1, 500], [2, 800], [3, -200], [4, -200]]);
    assert.equal(points[0].time, Date.parse('2022-02-02T19:39:01.5+01:00'));
  });

  test('messages before the launch are ignored and a second launch changes nothing', () => {
    const points = speedSeries([
      entry(1, 'RocketSpeedIncreased', { by: 50 }),
      entry(2, 'RocketExploded', { reason: 'early' }),
      entry(3, 'RocketLaunched', { type: 'Falcon-9', launchSpeed: 700, mission: 'ARTEMIS' }),
      entry(4, 'RocketLaunched', { type: 'Saturn-V', launchSpeed: 9, mission: 'APOLLO' }),
    ]);
    assert.deepEqual(speeds(points), [[3, 700], [4, 700]]);
  });

  test('the explosion is the last point: later messages are ignored', () => {
    const points = speedSeries([
      entry(1, 'RocketLaunched', { type: 'Falcon-9', launchSpeed: 500, mission: 'ARTEMIS' }),
      entry(2, 'RocketExploded', { reason: 'boom' }),
      entry(3, 'RocketSpeedIncreased', { by: 100 }),
    ]);
    assert.deepEqual(points.map((p) => [p.messageNumber, p.speed, p.exploded]), [[1, 500, false], [2, 500, true]]);
  });

  test('only the applied, contiguous prefix counts', () => {
    const launch = entry(1, 'RocketLaunched', { type: 'Falcon-9', launchSpeed: 500, mission: 'ARTEMIS' });
    assert.deepEqual(speeds(speedSeries([launch, entry(2, 'RocketSpeedIncreased', { by: 1 }, false)])), [[1, 500]]);
    assert.deepEqual(speeds(speedSeries([launch, entry(3, 'RocketSpeedIncreased', { by: 1 })])), [[1, 500]]);
    assert.deepEqual(speedSeries([entry(2, 'RocketLaunched', { launchSpeed: 1 })]), []);
  });

  test('each message type has a short description', () => {
    assert.equal(describeMessage(entry(1, 'RocketLaunched', { type: 'Falcon-9', launchSpeed: 500, mission: 'ARTEMIS' })),
      'Falcon-9 at 500 for ARTEMIS');
    assert.equal(describeMessage(entry(2, 'RocketSpeedDecreased', { by: 7 })), '−7');
    assert.equal(describeMessage(entry(3, 'RocketExploded', { reason: 'PRESSURE_VESSEL_FAILURE' })), 'PRESSURE_VESSEL_FAILURE');
    assert.equal(describeMessage(entry(4, 'RocketMissionChanged', { newMission: 'MARS' })), '→ MARS');
  });
});

describe('live counters from /metrics', () => {
  const text = [
    '# HELP rockets_messages_total POST /messages requests by outcome.',
    '# TYPE rockets_messages_total counter',
    'rockets_messages_total{outcome="accepted"} 1200',
    'rockets_messages_total{outcome="duplicate"} 30',
    'rockets_messages_total{outcome="over_limit"} 0',
    'rockets_http_request_duration_seconds_bucket{le="0.001"} 17',
    'rockets_unapplied_messages 42',
    '',
  ].join('\n');

  test('parses the outcome counters and the unapplied gauge, nothing else', () => {
    const { outcomes, unapplied } = parseMetrics(text);
    assert.deepEqual([...outcomes], [['accepted', 1200], ['duplicate', 30], ['over_limit', 0]]);
    assert.equal(unapplied, 42);
    assert.equal(parseMetrics('rockets_messages_total{outcome="accepted"} 1\n').unapplied, null);
  });

  test('rates are per second between samples; a counter that went down restarted from zero', () => {
    const previous = { outcomes: new Map([['accepted', 1000], ['duplicate', 50]]), at: 10000 };
    const current = { outcomes: new Map([['accepted', 1600], ['duplicate', 8]]), at: 12000 };
    assert.deepEqual([...ratesBetween(previous, current)], [['accepted', 300], ['duplicate', 4]]);
  });
});

describe('table order and filters match GET /rockets', () => {
  const a = { channel: 'a', speed: 900, status: 'ACTIVE', type: 'Falcon-9', mission: 'ARTEMIS' };
  const b = { channel: 'b', speed: 500, status: 'EXPLODED', type: 'Falcon-9', mission: 'APOLLO' };
  const c = { channel: 'c', speed: 500, status: 'ACTIVE', type: 'Saturn-V', mission: 'ARTEMIS' };

  test('sorts by the field in either order, ties by channel ascending', () => {
    const sorted = (view) => [a, b, c].sort((x, y) => compareRockets(x, y, view)).map((r) => r.channel);
    assert.deepEqual(sorted({ sort: 'speed', order: 'asc' }), ['b', 'c', 'a']);
    assert.deepEqual(sorted({ sort: 'speed', order: 'desc' }), ['a', 'b', 'c']);
    assert.deepEqual(sorted({ sort: 'channel', order: 'desc' }), ['c', 'b', 'a']);
  });

  test('filters are exact matches and empty ones match everything', () => {
    assert.deepEqual([a, b, c].filter((r) => matchesFilters(r, { status: 'ACTIVE', type: '', mission: 'ARTEMIS' })), [a, c]);
    assert.deepEqual([a, b, c].filter((r) => matchesFilters(r, { status: '', type: 'Falcon', mission: '' })), []);
  });
});
