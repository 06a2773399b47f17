// What the player page shows for a pilot name: pure, so it is tested without a browser.
import { labelValuePattern } from '../../server/sandbox/validation/names.ts';
import { words } from '../i18n/language.ts';

/** Why a name cannot be a Kubernetes label value, or undefined when it can. */
export function playerNameProblem(name: string): string | undefined {
  if (name.length === 0) return words().player.nameEmpty;
  if (name.length > 63) return words().player.nameTooLong;
  if (!labelValuePattern.test(name)) return words().player.nameCharacters;
  return undefined;
}

/** A DNS-1123 name for the player's Deployment, derived from the label value. */
export function fleetObjectName(player: string): string {
  const slug = player
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return `fleet-${slug || 'pilot'}`.slice(0, 63).replace(/-+$/, '');
}

export function fleetManifest(player: string): string {
  const name = fleetObjectName(player);
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  labels:
    game: starwars
    player: "${player}"
spec:
  replicas: 3
  selector:
    matchLabels:
      game: starwars
      player: "${player}"
  template:
    metadata:
      labels:
        game: starwars
        player: "${player}"
    spec:
      containers:
        - name: ship
          image: nginx:1.27
          ports:
            - containerPort: 80
`;
}

export function fleetCommands(player: string): string {
  return `kubectl apply -f fleet.yaml
kubectl get pods -l game=starwars,player=${player} -o wide`;
}
