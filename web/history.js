// A rocket's speed over time, rebuilt from its stored messages with the fold
// rules of DESIGN §3 (launch sets the speed, increased/decreased add and
// subtract, everything is ignored before the launch and after the explosion).

/**
 * From messages in ascending messageNumber order (as GET /rockets/{channel}/messages returns
 * them), the speed after each applied message once the rocket is launched:
 * [{messageNumber, time, timeText, speed, exploded}] where `time` is ms since the epoch (NaN if
 * unparseable), `timeText` the messageTime as sent,
 * and `exploded` marks the message that blew the rocket up.
 */
export function speedSeries(messages) {
  const points = [];
  let status = 'NONE';
  let speed = 0;
  let expected = 1;
  for (const entry of messages) {
    if (!entry.applied) break;
    // Applied messages are contiguous; a gap means a page is missing, so stop rather than guess.
    if (entry.messageNumber !== expected) break;
    expected = entry.messageNumber + 1;
    const body = entry.message ?? {};
    let exploded = false;
    switch (entry.messageType) {
      case 'RocketLaunched':
        if (status === 'NONE') {
          status = 'ACTIVE';
          speed = Number(body.launchSpeed);
        }
        break;
      case 'RocketSpeedIncreased':
        if (status === 'ACTIVE') speed += Number(body.by);
        break;
      case 'RocketSpeedDecreased':
        if (status === 'ACTIVE') speed -= Number(body.by);
        break;
      case 'RocketExploded':
        if (status === 'ACTIVE') {
          status = 'EXPLODED';
          exploded = true;
        }
        break;
      default:
        break;  // RocketMissionChanged and anything unknown leave the speed alone
    }
    if (status === 'NONE') continue;
    if (status === 'EXPLODED' && !exploded) continue;
    points.push({
      messageNumber: entry.messageNumber,
      time: Date.parse(entry.messageTime),
      timeText: entry.messageTime,
      speed,
      exploded,
    });
  }
  return points;
}

/** A short summary of a message's payload, shown after its type in the history table. */
export function describeMessage(entry) {
  const body = entry.message ?? {};
  switch (entry.messageType) {
    case 'RocketLaunched':
      return `${body.type ?? '?'} at ${body.launchSpeed ?? '?'} for ${body.mission ?? '?'}`;
    case 'RocketSpeedIncreased':
      return `+${body.by ?? '?'}`;
    case 'RocketSpeedDecreased':
      return `−${body.by ?? '?'}`;
    case 'RocketExploded':
      return String(body.reason ?? '');
    case 'RocketMissionChanged':
      return `→ ${body.newMission ?? '?'}`;
    default:
      return JSON.stringify(body);
  }
}
