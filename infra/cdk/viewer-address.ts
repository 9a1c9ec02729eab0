// infra/cdk: how the API functions learn the viewer's address behind CloudFront. Every request reaches API Gateway
// from a CloudFront edge server, so the event's sourceIp is the edge's, shared by everyone that edge serves; keyed on
// it, the per-client limits would throttle strangers together. CloudFront's own CloudFront-Viewer-Address header is
// forwarded only where an origin request policy names it, and the one the API's behaviour needs (all viewer headers
// but Host, so API Gateway sees its own host) names no CloudFront header. So a CloudFront Function on the viewer
// request writes the address into a header of its own, which that policy forwards like any viewer header; a value
// a viewer sends in that header is replaced, so it cannot be forged.

/** the header the edge sets to the viewer's address (the functions' RATE_LIMIT_CLIENT_IP_HEADER) */
export const VIEWER_ADDRESS_HEADER = 'x-feedback-viewer-address';

/** the viewer-request function, in CloudFront's JavaScript runtime 2.0 (event.viewer.ip: IPv4 or IPv6, no port) */
export const VIEWER_ADDRESS_FUNCTION_CODE = `function handler(event) {
  var request = event.request;
  request.headers['${VIEWER_ADDRESS_HEADER}'] = { value: event.viewer.ip };
  return request;
}`;
