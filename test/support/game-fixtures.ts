import type { FleetStanding, Ship } from '../../game/store/protocol-types.ts';

export function ship(uid: string, over: Partial<Ship> = {}): Ship {
  return {
    uid,
    name: `pod-${uid}`,
    namespace: 'default',
    fleet: 'luke',
    state: 'flying',
    controller: 'Pod',
    ...over,
  };
}

export function fleet(player: string, over: Partial<FleetStanding> = {}): FleetStanding {
  return {
    player,
    alive: true,
    flying: 1,
    total: 1,
    uptime: 1,
    hits: 0,
    recoveries: 0,
    recoveryP50Ms: null,
    recoveryP95Ms: null,
    shipsLost: 0,
    joinOrder: 0,
    controllers: ['Pod'],
    rank: 1,
    eliminatedAt: null,
    longestOutageMs: 0,
    ...over,
  };
}
