/* Jest global teardown of the server tests: stops the PostgreSQL clusters this run's tests started. */
module.exports = () => require('./postgresProcess').stopThisRunsClusters();
