import {Flags} from '@oclif/core'

import {wireApi, type WireResult} from '../../api/wire.js'
import {BaseCommand} from '../../base-command.js'
import {requireSetting} from '../../config/resolve.js'

export default class ApiWire extends BaseCommand<typeof ApiWire> {
  static summary = 'Wire the API Gateway REST API to the REST proxy on the client host and deploy stage test'
  static description =
    `On the REST API named after the user id (or --api-id): a {proxy+} resource, an ANY method, an HTTP proxy ` +
    `integration to http://<host>:8082/{proxy} with the path parameter proxy mapped, and a deployment to stage test. Each part is ` +
    `changed only when missing or different; a second run changes nothing. Prints the invoke URL that \`pinctl produce --invoke-url\` ` +
    `takes.`
  static examples = [
    '<%= config.bin %> api wire --host ec2-54-81-124-13.compute-1.amazonaws.com',
    '<%= config.bin %> api wire --api-id 5i08sjvi96',
    '<%= config.bin %> api wire --json | jq -r .invokeUrl',
  ]
  static flags = {
    'api-id': Flags.string({description: 'REST API id (instead of finding the API by name)'}),
    'api-name': Flags.string({description: 'REST API name [default: the user id]', env: 'PINCTL_API_NAME'}),
    host: Flags.string({description: "client host's public DNS name", env: 'PINCTL_HOST'}),
    'rest-proxy-port': Flags.integer({
      description: 'port the REST proxy listens on, on the host [default: 8082]',
      env: 'PINCTL_REST_PROXY_PORT',
      min: 1,
      max: 65_535,
      aliases: ['port'],
      deprecateAliases: true,
    }),
    stage: Flags.string({description: 'stage to deploy to', default: 'test'}),
  }

  async run(): Promise<WireResult> {
    const config = this.settings({host: this.flags.host, apiName: this.flags['api-name'], restProxyPort: this.flags['rest-proxy-port']})
    const host = requireSetting(config, 'host')
    const result = await wireApi({
      aws: this.awsSettings(config),
      apiId: this.flags['api-id'],
      apiName: config.apiName,
      host,
      port: config.restProxyPort,
      stage: this.flags.stage,
      progress: this.reporter,
    })
    this.reporter.success(
      result.changed ? `API ${result.apiId} wired and deployed to ${result.stage}` : `API ${result.apiId} already wired: nothing changed`,
    )
    this.log(result.invokeUrl)
    return result
  }
}
