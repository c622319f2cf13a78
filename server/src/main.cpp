#include "RocketsServer.h"

#include <Poco/Path.h>

#include <csignal>
#include <iostream>
#include <pthread.h>

int main(int argc, char** argv) {
    // Block the termination signals before any thread starts, so every thread
    // inherits the mask and only waitForTerminationRequest() receives them.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGQUIT);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    // A client closing its socket mid-response must not kill the process.
    std::signal(SIGPIPE, SIG_IGN);
    try {
        rockets::server::RocketsServer server(Poco::Path::current());
        return server.run(argc, argv);
    } catch (const Poco::Exception& e) {
        std::cerr << "rockets-server: " << e.displayText() << '\n';
    } catch (const std::exception& e) {
        std::cerr << "rockets-server: " << e.what() << '\n';
    }
    return 1;
}
