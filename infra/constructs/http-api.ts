import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  type CfnStage,
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  HttpRoute,
  HttpRouteKey,
  HttpStage,
  type IHttpApi,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { UserPool, UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { RouteDef } from '../../functions/routes.js';

export interface MarketplaceHttpApiProps {
  /** Origins of the web UI (CORS); satellites call server to server and need none. */
  readonly webOrigins: readonly string[];
}

export interface MarketplaceHttpRoutesProps {
  /** The API the routes belong to (it may live in another stack). */
  readonly httpApi: IHttpApi;
  readonly routes: readonly (readonly [string, RouteDef])[];
  /** The API function of each route, by handler name. */
  readonly handlers: Readonly<Record<string, IFunction>>;
  readonly userPool: UserPool;
  readonly userPoolClient: UserPoolClient;
  readonly throttle: { readonly rateLimit: number; readonly burstLimit: number };
  readonly logRetention: RetentionDays;
}

const ACCESS_LOG_FIELDS = {
  requestId: '$context.requestId',
  ip: '$context.identity.sourceIp',
  requestTime: '$context.requestTime',
  httpMethod: '$context.httpMethod',
  routeKey: '$context.routeKey',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  integrationLatency: '$context.integrationLatency',
  integrationError: '$context.integrationErrorMessage',
  authorizerError: '$context.authorizer.error',
  sub: '$context.authorizer.claims.sub',
};

/**
 * The HTTP API itself: its id and URL (handed to satellites) and the browser origins it admits.
 * Stage, routes and authorizer are MarketplaceHttpRoutes, which infra/marketplace-stack.ts puts in
 * the API's nested stack together with the functions they invoke.
 */
export class MarketplaceHttpApi extends Construct {
  readonly api: HttpApi;

  constructor(scope: Construct, id: string, props: MarketplaceHttpApiProps) {
    super(scope, id);

    this.api = new HttpApi(this, 'Api', {
      apiName: 'vrs-marketplace',
      description: 'VRS Marketplace API (functions/routes.ts)',
      createDefaultStage: false,
      corsPreflight: {
        allowOrigins: [...props.webOrigins],
        allowMethods: [
          CorsHttpMethod.GET,
          CorsHttpMethod.POST,
          CorsHttpMethod.PUT,
          CorsHttpMethod.PATCH,
          CorsHttpMethod.DELETE,
        ],
        allowHeaders: ['authorization', 'content-type'],
        maxAge: Duration.hours(1),
      },
    });
  }

  /** The API's base URL without a trailing slash (https://<id>.execute-api.<region>.amazonaws.com). */
  get url(): string {
    return this.api.apiEndpoint;
  }
}

/**
 * The API's `$default` stage and its routes, built from the route table: `jwt` routes behind a
 * Cognito JWT authorizer, `none` and `apiKey` routes open at the gateway (the handler checks the
 * satellite's X-API-Key itself). Each route's integration and Lambda permission are created here too.
 */
export class MarketplaceHttpRoutes extends Construct {
  readonly stage: HttpStage;

  constructor(scope: Construct, id: string, props: MarketplaceHttpRoutesProps) {
    super(scope, id);
    // The API as seen from this construct's stack. The routes are its children, as HttpApi.addRoutes
    // makes them (same logical ids), and so is the authorizer, which CDK creates in the scope of the
    // route's API: both land in this stack, not in the API's.
    const httpApi = HttpApi.fromHttpApiAttributes(this, 'Api', { httpApiId: props.httpApi.apiId });

    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: props.throttle,
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      },
    });

    const authorizer = new HttpUserPoolAuthorizer('CognitoAuthorizer', props.userPool, {
      userPoolClients: [props.userPoolClient],
      identitySource: ['$request.header.Authorization'],
    });

    for (const [name, route] of props.routes) {
      const handler = props.handlers[route.handler];
      if (!handler) throw new Error(`No function for handler "${route.handler}" (route ${name})`);
      const method = HttpMethod[route.method];
      const created = new HttpRoute(httpApi, `${method}${route.path}`, {
        httpApi,
        routeKey: HttpRouteKey.with(route.path, method),
        integration: new HttpLambdaIntegration(`${name}Integration`, handler),
        ...(route.auth === 'jwt' ? { authorizer } : {}),
      });
      if (route.auth !== 'jwt') {
        Validations.of(created).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason:
            route.auth === 'apiKey'
              ? `${route.method} ${route.path} is called by satellites with their project API key (X-API-Key), which the handler verifies against the stored hash.`
              : `${route.method} ${route.path} is public by design (${route.tag}: ${route.summary}).`,
        });
      }
    }
    this.throttleRoutes(props.routes);
  }

  /** API Gateway's own per-route throttles (RouteDef.throttle), below the stage default. */
  private throttleRoutes(routes: MarketplaceHttpRoutesProps['routes']): void {
    const settings = Object.fromEntries(
      routes
        .filter(([, r]) => r.throttle)
        .map(([, r]) => [
          `${r.method} ${r.path}`,
          { ThrottlingRateLimit: r.throttle!.rateLimit, ThrottlingBurstLimit: r.throttle!.burstLimit },
        ]),
    );
    if (Object.keys(settings).length)
      (this.stage.node.defaultChild as CfnStage).addPropertyOverride('RouteSettings', settings);
  }
}
