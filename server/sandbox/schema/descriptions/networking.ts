// What `kubectl explain` says of the types of networking.k8s.io/v1 (see ../descriptions.ts).
import { metadata, type Texts } from './common.ts';
export const networking: Texts = {
  'networking.v1.HTTPIngressPath': {
    '': 'A URL path and the backend its requests go to.',
    path: 'The path, starting with /.',
    pathType: 'Prefix (path and below), Exact, or ImplementationSpecific (up to the controller).',
    backend: 'Where matching requests go.',
  },
  'networking.v1.HTTPIngressRuleValue': {
    '': 'HTTP routing of one host.',
    paths: 'Paths and their backends.',
  },
  'networking.v1.Ingress': {
    '': 'An Ingress routes outside HTTP(S) traffic to Services by host name and path, through an ingress controller.',
    spec: 'The routing rules.',
    status: 'The address the ingress controller serves it on.',
    metadata: metadata('ingress'),
  },
  'networking.v1.IngressBackend': {
    '': 'Where requests go: a service port or another resource.',
    service: 'A service and one of its ports (the usual choice).',
    resource: 'Another object, e.g. a storage bucket, for controllers that support it.',
  },
  'networking.v1.IngressClass': {
    '': 'An IngressClass names an ingress controller; Ingresses choose one with ingressClassName.',
    spec: 'The controller and its parameters.',
    metadata: metadata('ingress class'),
  },
  'networking.v1.IngressClassParametersReference': {
    '': 'An object holding settings for the ingress controller.',
    apiGroup: 'Its API group.',
    kind: 'Its kind.',
    name: 'Its name.',
    scope: 'Cluster (default) or Namespace.',
    namespace: 'Its namespace, when scope is Namespace.',
  },
  'networking.v1.IngressClassSpec': {
    '': 'Which controller implements the class.',
    controller: "The controller's name, e.g. k8s.io/ingress-nginx.",
    parameters: 'Settings for the controller.',
  },
  'networking.v1.IngressLoadBalancerIngress': {
    '': 'An address where the ingress is reachable.',
    ip: 'An IP address.',
    hostname: 'A DNS name.',
    ports: 'Ports and their state.',
  },
  'networking.v1.IngressLoadBalancerStatus': { '': "The ingress's addresses.", ingress: 'The addresses.' },
  'networking.v1.IngressPortStatus': {
    '': 'A port of the ingress address.',
    port: 'The port number.',
    protocol: 'TCP, UDP or SCTP.',
    error: 'Why the port is not working, if it is not.',
  },
  'networking.v1.IngressRule': {
    '': 'Routing for one host name.',
    host: 'The host name requests must carry; empty matches any host. A leading *. matches one label.',
    http: 'Paths and backends.',
  },
  'networking.v1.IngressRuleValue': {
    '': 'How the requests of one host are routed.',
  },
  'networking.v1.IngressServiceBackend': {
    '': 'A service as a backend.',
    name: "The service, in the ingress's namespace.",
    port: 'Which port of the service.',
  },
  'networking.v1.IngressSpec': {
    '': 'The routing of an Ingress.',
    ingressClassName: 'The IngressClass (and so the controller) that serves this Ingress.',
    defaultBackend: 'Where requests matching no rule go.',
    tls: 'Host names served over HTTPS and the Secrets with their certificates.',
    rules: 'Host and path rules, checked in order.',
  },
  'networking.v1.IngressStatus': {
    '': 'Where the ingress is reachable; written by its controller.',
    loadBalancer: 'Its addresses.',
  },
  'networking.v1.IngressTLS': {
    '': 'TLS for some hosts.',
    hosts: 'The host names the certificate covers.',
    secretName: 'A kubernetes.io/tls secret holding the certificate and key.',
  },
  'networking.v1.ServiceBackendPort': {
    '': 'A service port, by name or number.',
    name: "The port's name.",
    number: "The port's number.",
  },
};
