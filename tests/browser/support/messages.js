// Builders for POST /messages bodies (DESIGN §2) and a rocket's whole life.

let clock = Date.UTC(2026, 10, 27, 9, 0, 0);

/** An RFC 3339 time with nanoseconds and an offset, like the test program sends; each call is 3 s later. */
export function nextTime() {
  clock += 3000;
  const iso = new Date(clock).toISOString();   // 2026-11-27T09:00:03.000Z
  return `${iso.slice(0, 19)}.${String(clock % 1000).padStart(3, '0')}123456+00:00`;
}

export function message(channel, messageNumber, messageType, body) {
  return { metadata: { channel, messageNumber, messageTime: nextTime(), messageType }, message: body };
}

export const launched = (channel, n, type, launchSpeed, mission) =>
  message(channel, n, 'RocketLaunched', { type, launchSpeed, mission });
export const increased = (channel, n, by) => message(channel, n, 'RocketSpeedIncreased', { by });
export const decreased = (channel, n, by) => message(channel, n, 'RocketSpeedDecreased', { by });
export const exploded = (channel, n, reason) => message(channel, n, 'RocketExploded', { reason });
export const missionChanged = (channel, n, newMission) => message(channel, n, 'RocketMissionChanged', { newMission });
