CREATE DATABASE puente_registration;
CREATE DATABASE puente_scheduling;
CREATE DATABASE puente_transport;
CREATE DATABASE puente_processing;
CREATE DATABASE puente_notifications;
CREATE DATABASE puente_gateway;
CREATE DATABASE puente_simulator;
