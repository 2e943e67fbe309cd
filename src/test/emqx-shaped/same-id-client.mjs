// A second device process with the same client id, for takeover tests: an MQTT.js client over mutual TLS that
// connects with a bundle's certificate and reconnects soon after each loss, as a device's own retry loop would.
// While it runs, every connection of another client with its id is taken over again. Prints "connected" on each
// CONNACK, so the test knows when it holds the session.
//
// node same-id-client.mjs --port N --certs-dir BUNDLE --client-id ID [--reconnect-ms 100]
import fs from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import mqtt from 'mqtt'

const { values: args } = parseArgs({
  options: {
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string' },
    'certs-dir': { type: 'string' },
    'client-id': { type: 'string' },
    'reconnect-ms': { type: 'string', default: '100' }
  }
})
const bundle = args['certs-dir']
const client = mqtt.connect({
  protocol: 'mqtts',
  host: args.host,
  port: Number(args.port),
  clientId: args['client-id'],
  protocolVersion: 4,
  clean: true,
  reconnectPeriod: Number(args['reconnect-ms']),
  ca: fs.readFileSync(path.join(bundle, 'ca-chain.pem')),
  cert: fs.readFileSync(path.join(bundle, 'client_cert.pem')),
  key: fs.readFileSync(path.join(bundle, 'client_key.pem'))
})
client.on('connect', () => console.log('connected'))
client.on('error', error => console.error(error.message))

function stop () {
  client.end(true, () => process.exit(0))
}
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
