// infra: what a Lambda bundle holds in place of @aws-sdk/middleware-endpoint-discovery (infra/bundling.ts aliases it
// here). The DynamoDB client resolves an endpoint-discovery config and builds an endpoint cache (an LRU from mnemonist)
// for it, but none of its commands in the pinned SDK adds the discovery middleware that would read them, and DynamoDB
// never requires discovery: ~8 KB of each bundle with a DynamoDB client, built at every cold start for nothing. The
// names and shapes are the two the client imports; discovery reads as not configured.
interface EndpointDiscoveryInput {
  endpointDiscoveryEnabled?: boolean;
  endpointDiscoveryEnabledProvider: () => Promise<boolean | undefined>;
}

export const NODE_ENDPOINT_DISCOVERY_CONFIG_OPTIONS = {
  environmentVariableSelector: (): undefined => undefined,
  configFileSelector: (): undefined => undefined,
  default: undefined,
};

export const resolveEndpointDiscoveryConfig = <T extends EndpointDiscoveryInput>(input: T, { endpointDiscoveryCommandCtor }: { endpointDiscoveryCommandCtor: unknown }) =>
  Object.assign(input, {
    endpointDiscoveryCommandCtor,
    endpointDiscoveryEnabled: input.endpointDiscoveryEnabled !== undefined ? () => Promise.resolve(input.endpointDiscoveryEnabled) : input.endpointDiscoveryEnabledProvider,
    isClientEndpointDiscoveryEnabled: input.endpointDiscoveryEnabled !== undefined,
  });
