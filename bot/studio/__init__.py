"""The studio: where city staff (roles editor and publisher) keep the assistant current, under
/console/studio on the public web app, with the console's accounts, log-in and security."""
