// What `kubectl explain` says of the types of discovery.k8s.io/v1 (see ../descriptions.ts).
import { metadata, type Texts } from './common.ts';
export const discovery: Texts = {
  'discovery.v1.Endpoint': {
    '': 'One backend of a service: usually one pod.',
    addresses: "Its IP addresses (one, of the slice's addressType).",
    conditions: 'Whether it is ready, serving or terminating.',
    hostname: 'A DNS name for it (stateful set pods behind a headless service).',
    targetRef: 'The pod it stands for.',
    deprecatedTopology: 'Old topology labels; use nodeName and zone.',
    nodeName: 'The node it runs on.',
    zone: 'The zone it runs in.',
    hints: 'Where kube-proxy should prefer to send traffic to it.',
  },
  'discovery.v1.EndpointConditions': {
    '': 'The state of an endpoint.',
    ready: 'Ready to receive traffic (serving and not terminating).',
    serving: 'Its pod passes its readiness probe, even while terminating.',
    terminating: 'Its pod is shutting down.',
  },
  'discovery.v1.EndpointHints': {
    '': 'Topology hints for routing.',
    forZones: 'Zones that should use this endpoint.',
    forNodes: 'Nodes that should use this endpoint.',
  },
  'discovery.v1.EndpointPort': {
    '': 'A port the endpoints listen on.',
    name: "The service port's name it serves.",
    protocol: 'TCP (default), UDP or SCTP.',
    port: 'The port number on the endpoints.',
    appProtocol: 'The application protocol, e.g. http.',
  },
  'discovery.v1.EndpointSlice': {
    '': 'A share of the endpoints of a Service: the addresses of its ready pods and their ports.',
    addressType: 'IPv4, IPv6 or FQDN.',
    endpoints: 'The addresses.',
    ports: 'The ports of every address.',
    metadata: metadata('slice'),
  },
  'discovery.v1.ForNode': { '': 'A node name in a hint.', name: 'The node.' },
  'discovery.v1.ForZone': { '': 'A zone name in a hint.', name: 'The zone.' },
};
