#!/usr/bin/env node
// Starts dynalite for the tests on 127.0.0.1 and prints "DYNALITE_PORT=<port>" once it listens.
// Usage: node launch.js [--port <port>] [--path <dir>]
//   --port  port to listen on; 0 (the default) picks a free one. (dynalite's own CLI treats 0 as 4567.)
//   --path  keep the data in LevelDB under <dir>, so a restart on the same path sees it; in memory without it.
// Exits when its stdin closes, so a JVM that dies never leaves this process behind.
'use strict'

const dynalite = require('dynalite')

function parseArgs (argv) {
  const options = { port: 0, path: undefined }
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i], value = argv[i + 1]
    if ((name === '--port' || name === '--path') && value === undefined) fail(`${name} needs a value`)
    if (name === '--port') options.port = Number(argv[++i])
    else if (name === '--path') options.path = argv[++i]
    else fail(`unknown argument ${name}`)
  }
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) fail('--port must be 0..65535')
  return options
}

function fail (message) {
  console.error(`launch.js: ${message}`)
  process.exit(2)
}

const options = parseArgs(process.argv.slice(2))
const server = dynalite({ path: options.path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 })

server.on('error', (err) => fail(`cannot listen on 127.0.0.1:${options.port}: ${err.message}`))
server.listen(options.port, '127.0.0.1', () => {
  console.log(`DYNALITE_PORT=${server.address().port}`)
})

let stopping = false
function stop () {
  if (stopping) return
  stopping = true
  setTimeout(() => process.exit(0), 5000).unref()
  server.close(() => process.exit(0))
  server.closeAllConnections()
}

process.stdin.on('end', stop)
process.stdin.on('close', stop)
process.stdin.on('error', stop)
process.stdin.resume()
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
