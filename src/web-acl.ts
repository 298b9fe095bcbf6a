import { Stack, Token } from 'aws-cdk-lib';
import type * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { wafv2 as loadWafv2 } from './private/lazy';

/**
 * A regional AWS WAF web ACL that filters a service's requests.
 */
export abstract class WebAcl {
  /**
   * A web ACL defined in this app. Its `scope` must be `REGIONAL`: App Runner services cannot
   * use CloudFront (global) web ACLs.
   */
  public static fromCfnWebAcl(webAcl: wafv2.CfnWebACL): WebAcl {
    if (!Token.isUnresolved(webAcl.scope) && webAcl.scope !== 'REGIONAL') {
      throw new Error(`\`webAcl\` must have scope REGIONAL to protect an App Runner service, got '${webAcl.scope}' (${webAcl.node.path})`);
    }
    return new ArnWebAcl(webAcl.attrArn, Stack.of(webAcl).region);
  }

  /**
   * An existing web ACL, by ARN (`arn:aws:wafv2:<region>:<account>:regional/webacl/<name>/<id>`).
   */
  public static fromWebAclArn(webAclArn: string): WebAcl {
    if (Token.isUnresolved(webAclArn)) {
      return new ArnWebAcl(webAclArn, undefined);
    }
    const match = /^arn:[^:]+:wafv2:([^:]*):\d{12}:(regional|global)\/webacl\/[^/]+\/[^/]+$/.exec(webAclArn);
    if (!match) {
      throw new Error(`\`webAclArn\` must be arn:aws:wafv2:<region>:<account>:regional/webacl/<name>/<id>, got '${webAclArn}'`);
    }
    if (match[2] === 'global') {
      throw new Error(`\`webAclArn\` names a global (CloudFront) web ACL; an App Runner service needs a REGIONAL one, got '${webAclArn}'`);
    }
    return new ArnWebAcl(webAclArn, match[1]);
  }

  /**
   * The ARN of the web ACL.
   */
  public abstract readonly webAclArn: string;

  /**
   * The Region of the web ACL, when known at synth time.
   */
  public abstract readonly region?: string;

  /**
   * Associates the web ACL with the resource `resourceArn` in `scope`'s Region.
   */
  public associate(scope: Construct, id: string, resourceArn: string): wafv2.CfnWebACLAssociation {
    const region = Stack.of(scope).region;
    if (this.region !== undefined && !Token.isUnresolved(this.region) && !Token.isUnresolved(region) && this.region !== region) {
      throw new Error(`\`webAcl\` is in ${this.region}, but the service is in ${region}: a web ACL protects resources of its own Region only`);
    }
    return new (loadWafv2().CfnWebACLAssociation)(scope, id, { resourceArn, webAclArn: this.webAclArn });
  }
}

class ArnWebAcl extends WebAcl {
  constructor(public readonly webAclArn: string, public readonly region: string | undefined) {
    super();
  }
}
