// An MQTT broker shaped like the TESAIoT platform's EMQX listener, for tests: aedes behind a TLS server that
// requires a client certificate (EMQX: verify_peer, fail_if_no_peer_cert), TLS 1.2 and 1.3, and the platform's
// rules played in aedes' hooks:
//   - the client id must be the certificate's CN, and with --api-keys the user name must be the client id and the
//     password that device's API key (the Community Edition's authentication webhook). A refusal is CONNACK 5:
//     EMQX's HTTP authenticator turns the webhook's "deny" into not_authorized, which MQTT 3.1.1 sends as 5.
//   - a PUBLISH outside {device|devices|<id>}/<id>/{telemetry|status|events|metrics}[/#] closes the connection
//     (ACL no_match = deny, deny_action = disconnect); nothing is acknowledged for it.
//   - a second connection with the same client id takes the session over: aedes closes the older one.
// Every event is one JSON line appended to --events FILE, which the Java fixture reads: what the broker received
// is judged there, not by a subscriber.
//
// node broker.mjs --ca CA.pem --cert SERVER.pem --key SERVER.key --events FILE [--api-keys KEYS.json] [--port N]
import fs from 'node:fs'
import tls from 'node:tls'
import { parseArgs } from 'node:util'
import { Aedes } from 'aedes'

const { values: args } = parseArgs({
  options: {
    ca: { type: 'string' },
    cert: { type: 'string' },
    key: { type: 'string' },
    events: { type: 'string' },
    'api-keys': { type: 'string' },
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '0' }
  }
})
for (const required of ['ca', 'cert', 'key', 'events']) {
  if (!args[required]) {
    console.error(`broker.mjs: --${required} is required`)
    process.exit(2)
  }
}

const events = fs.openSync(args.events, 'a')
function record (event) {
  // Synchronous, so that a line is in the file before the broker answers the packet it describes.
  fs.writeSync(events, JSON.stringify({ ...event, at: new Date().toISOString() }) + '\n')
}

const NOT_AUTHORIZED = 5
const ALLOWED_TOPIC = /^([^/]+)\/([^/]+)\/(telemetry|status|events|metrics)(\/.*)?$/

function commonName (client) {
  return client.conn.getPeerCertificate().subject?.CN ?? null
}

function refuse (client, reason, done) {
  const error = new Error(reason)
  error.returnCode = NOT_AUTHORIZED
  record({ event: 'refused', clientId: client.id, cn: commonName(client), code: NOT_AUTHORIZED, reason })
  done(error, false)
}

function authenticate (client, username, password, done) {
  const cn = commonName(client)
  if (client.id !== cn) {
    return refuse(client, `client id '${client.id}' is not the certificate's CN '${cn}'`, done)
  }
  if (args['api-keys']) {
    // Read at every CONNECT: the tests add devices while the broker runs.
    const apiKeys = JSON.parse(fs.readFileSync(args['api-keys'], 'utf8'))
    if (username !== client.id) {
      return refuse(client, `user name '${username ?? ''}' is not the client id`, done)
    }
    if (password === undefined || !(client.id in apiKeys) || password.toString('utf8') !== apiKeys[client.id]) {
      return refuse(client, 'password is not the device\'s API key', done)
    }
  }
  const previous = aedes.clients[client.id]
  if (previous && !previous.closed) {
    record({ event: 'takeover', clientId: client.id })
  }
  record({
    event: 'connected',
    clientId: client.id,
    cn,
    userName: username ?? null,
    passwordGiven: password !== undefined,
    tlsProtocol: client.conn.getProtocol()
  })
  done(null, true)
}

function authorizePublish (client, packet, done) {
  const match = ALLOWED_TOPIC.exec(packet.topic)
  const allowed = match !== null && ['device', 'devices', client.id].includes(match[1]) && match[2] === client.id
  if (!allowed) {
    record({ event: 'denied', clientId: client.id, topic: packet.topic, qos: packet.qos })
    // An error here makes aedes close the connection without acknowledging: EMQX's deny_action = disconnect.
    return done(new Error(`publish to '${packet.topic}' denied`))
  }
  record({
    event: 'publish',
    clientId: client.id,
    topic: packet.topic,
    qos: packet.qos,
    payload: Buffer.from(packet.payload).toString('base64')
  })
  done(null)
}

const aedes = await Aedes.createBroker({ authenticate, authorizePublish })

const server = tls.createServer({
  ca: fs.readFileSync(args.ca),
  cert: fs.readFileSync(args.cert),
  key: fs.readFileSync(args.key),
  requestCert: true,
  rejectUnauthorized: true,
  minVersion: 'TLSv1.2',
  maxVersion: 'TLSv1.3'
}, aedes.handle)

server.listen(Number(args.port), args.host, () => {
  record({ event: 'listening', port: server.address().port })
})

function stop () {
  server.close()
  aedes.close(() => process.exit(0))
}
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
