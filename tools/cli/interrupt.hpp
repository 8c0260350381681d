#pragma once
// Ctrl-C and SIGTERM as a request to end a long-running command cleanly (a
// live session stops and publishes its end; a subscriber closes its files and
// prints its report), for the commands that loop until told to stop.

namespace stridefuse::cli {

/// From now on SIGINT and SIGTERM set the flag interrupted() reads.
void stop_on_interrupt();

/// Whether SIGINT or SIGTERM came since stop_on_interrupt().
bool interrupted();

}  // namespace stridefuse::cli
